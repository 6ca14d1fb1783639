"""`encore jobs`: submit, follow, list and cancel training, sweep and scoring jobs."""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from typing import Any

from encore.commands.options import add_model_options, model_config
from encore.commands.records import ready_settings
from encore.commands.sweep import learning_rates
from encore.db.tables import FINISHED_STATUSES, Job
from encore.jobs import JobContext, JobFailed, JobService, JobStore, execute
from encore.jobs.context import default_worker_name
from encore.jobs.views import job_dict
from encore.settings import Settings

FOLLOW_SECONDS = 1.0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "jobs",
        help="submit, list, show and cancel jobs run by `encore worker`",
        description="Jobs recorded in the records database and run by workers.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    _add_submit(actions)
    listing = actions.add_parser("list", help="the latest jobs, newest first")
    listing.add_argument(
        "--status", choices=["queued", "running", "succeeded", "failed", "cancelled"]
    )
    listing.add_argument("--limit", type=int, default=20)
    show = actions.add_parser("show", help="one job, with its per-epoch metrics")
    show.add_argument("job_id")
    show.add_argument("--json", action="store_true", help="print the record as JSON")
    cancel = actions.add_parser("cancel", help="cancel a queued or running job")
    cancel.add_argument("job_id")
    parser.set_defaults(func=run)


def _add_submit(actions: Any) -> None:
    submit = actions.add_parser("submit", help="record a job and queue it")
    submit.add_argument("kind", choices=["train", "sweep", "score"])
    submit.add_argument("--dataset", required=True, help="folder name under ENCORE_DATA_DIR")
    add_model_options(submit)
    submit.add_argument("--lrs", type=learning_rates, help="sweep: comma-separated rates")
    submit.add_argument("--model", help="score: a registered version (default: the active)")
    submit.add_argument("--input", default="test.csv", help="score: the file to score")
    submit.add_argument(
        "--wait",
        action="store_true",
        help="follow the job until it ends (in embedded mode, run it in this process)",
    )


def run(args: argparse.Namespace) -> int:
    settings = ready_settings()
    store = JobStore(settings.records_url())
    if args.action == "submit":
        job = JobService.from_settings(settings).submit(args.kind, _params(args))
        print(f"job {job.id}: {job.kind} {job.status}", flush=True)
        if args.wait and not settings.uses_rq():
            _run_here(settings, job.id)
        return _follow(store, job.id) if args.wait else 0
    if args.action == "list":
        for job in store.recent(args.status, args.limit):
            print(_line(job))
        return 0
    if args.action == "cancel":
        print(_line(JobService.from_settings(settings).cancel(args.job_id)))
        return 0
    return _show(store, args.job_id, args.json)


def _params(args: argparse.Namespace) -> dict[str, Any]:
    if args.kind == "score":
        return {"dataset": args.dataset, "model_version": args.model, "input": args.input}
    config = model_config(args).to_dict()
    changed = [pair.partition("=")[0].strip() for pair in args.overrides]
    if args.split:
        changed.append("split")
    params: dict[str, Any] = {
        "dataset": args.dataset,
        "preset": args.preset,
        "params": {name: config[name] for name in changed},
    }
    if args.kind == "sweep" and args.lrs:
        params["learning_rates"] = args.lrs
    return params


def _run_here(settings: Settings, job_id: str) -> None:
    """Embedded mode has no worker to wait for: the job runs in this process."""
    with contextlib.suppress(JobFailed):  # the job's row says how it ended
        execute(job_id, JobContext.from_settings(settings, default_worker_name("cli")))


def _follow(store: JobStore, job_id: str) -> int:
    last = ""
    while True:
        job = store.get(job_id)
        line = _line(job)
        if line != last:
            print(line, flush=True)
            last = line
        if job.status in FINISHED_STATUSES:
            return 0 if job.status == "succeeded" else 1
        time.sleep(FOLLOW_SECONDS)


def _show(store: JobStore, job_id: str, as_json: bool) -> int:
    data = job_dict(store.get(job_id), store.epochs(job_id))
    if as_json:
        print(json.dumps(data, indent=2))
        return 0
    for key, value in data.items():
        if key != "epochs" and value not in (None, {}, ""):
            print(f"{key:>16}: {value}")
    for epoch in data["epochs"]:
        print(
            f"  run {epoch['run']} epoch {epoch['epoch']:>3}: valid loss "
            f"{epoch['valid_loss']:.4f}, AUC {epoch['auc']:.4f}"
        )
    return 0


def _line(job: Job) -> str:
    parts = [job.id, job.kind, job.status]
    if job.stage and job.status == "running":
        parts.append(job.stage)
    if job.metrics:
        parts.append(f"AUC {job.metrics.get('auc', float('nan')):.4f}")
    if job.model_version:
        parts.append(f"version {job.model_version}")
    if job.error:
        parts.append(f"error: {job.error}")
    return "  ".join(parts)
