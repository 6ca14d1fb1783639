"""`encore jobs`: submit, follow, list and cancel training, sweep and scoring jobs."""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from encore.commands.options import (
    add_actions,
    add_command,
    add_json,
    add_model_options,
    model_config,
    parameters_epilog,
)
from encore.commands.records import ready_settings
from encore.commands.sweep import learning_rates
from encore.errors import EncoreError
from encore.jobstatus import FINISHED_STATUSES, JOB_KINDS, JOB_STATUSES

if TYPE_CHECKING:
    from encore.db.tables import Job
    from encore.jobs import JobStore
    from encore.settings import Settings

FOLLOW_SECONDS = 1.0


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "jobs",
        "submit, list, show and cancel jobs run by `encore worker` or `encore serve`",
        "Jobs recorded in the records database and run by workers: RQ workers (`encore "
        "worker`) with REDIS_URL and DATABASE_URL, else the worker inside `encore serve`, "
        "`encore worker`, or `jobs submit --wait` itself.",
        run,
    )
    actions = add_actions(parser)
    _add_submit(actions)
    listing = actions.add_parser("list", help="the latest jobs, newest first")
    listing.add_argument("--status", choices=JOB_STATUSES)
    listing.add_argument("--limit", type=int, default=20)
    show = actions.add_parser("show", help="one job, with its per-epoch metrics")
    show.add_argument("job_id")
    add_json(show, "print the record as JSON")
    cancel = actions.add_parser("cancel", help="cancel a queued or running job")
    cancel.add_argument("job_id")


def _add_submit(actions: Any) -> None:
    submit = actions.add_parser(
        "submit",
        help="record a job and queue it",
        epilog=parameters_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    submit.add_argument("kind", choices=JOB_KINDS)
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
    from encore.jobs import JobService, JobStore

    settings = ready_settings()
    store = JobStore(settings.records_url())
    if args.action == "submit":
        return _submit(args, settings, store)
    if args.action == "list":
        for job in store.recent(args.status, args.limit):
            print(line(job))
        return 0
    if args.action == "cancel":
        print(line(JobService.from_settings(settings).cancel(args.job_id)))
        return 0
    return _show(store, args.job_id, args.json)


def _submit(args: argparse.Namespace, settings: Settings, store: JobStore) -> int:
    from encore.jobs import JobService
    from encore.jobs.params import UnknownDataset

    try:
        job = JobService.from_settings(settings).submit(args.kind, _params(args))
    except UnknownDataset as exc:
        raise EncoreError(f"{exc} (ENCORE_DATA_DIR is {exc.data_dir})") from None
    print(f"job {job.id}: {job.kind} {job.status}{_who_runs(settings, args.wait)}", flush=True)
    if not args.wait:
        return 0
    if not settings.uses_rq():
        _run_here(settings, job.id)
    code = _follow(store, job.id)
    _say_where(store.get(job.id), settings.artifacts_dir)
    return code


def _who_runs(settings: Settings, wait: bool) -> str:
    if wait:
        return ""
    if settings.uses_rq():
        return " (an `encore worker` on the queue runs it)"
    return " (embedded mode: a running `encore serve` or `encore worker` runs it)"


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
    from encore.jobs import JobContext, JobFailed, execute
    from encore.jobs.context import default_worker_name

    with contextlib.suppress(JobFailed):  # the job's row says how it ended
        execute(job_id, JobContext.from_settings(settings, default_worker_name("cli")))


def _follow(store: JobStore, job_id: str) -> int:
    last = ""
    while True:
        job = store.get(job_id)
        text = line(job)
        if text != last:
            print(text, flush=True)
            last = text
        if job.status in FINISHED_STATUSES:
            return 0 if job.status == "succeeded" else 1
        time.sleep(FOLLOW_SECONDS)


def _say_where(job: Job, artifacts: Path) -> None:
    """Where a finished job's files are, on this machine."""
    result = job.result or {}
    for key in ("submission", "figure"):
        if key in result:
            print(f"{key}: {artifacts / result[key]}")


def _show(store: JobStore, job_id: str, as_json: bool) -> int:
    from encore.jobs.views import job_dict

    data = job_dict(store.get(job_id), store.epochs(job_id))
    if as_json:
        print(json.dumps(data, indent=2))
        return 0
    for key, value in data.items():
        if key != "epochs" and value not in (None, {}, ""):
            print(f"{key:>16}: {_plain(value)}")
    for epoch in data["epochs"]:
        print(
            f"  run {epoch['run']} epoch {epoch['epoch']:>3}: valid loss "
            f"{epoch['valid_loss']:.4f}, AUC {epoch['auc']:.4f}"
        )
    return 0


def _plain(value: Any) -> str:
    """A value as people read it: `key=value` pairs for a mapping, never a Python repr."""
    if isinstance(value, dict):
        return ", ".join(f"{key}={_plain(item)}" for key, item in value.items()) or "-"
    if isinstance(value, list | tuple):
        return ",".join(_plain(item) for item in value)
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def line(job: Job) -> str:
    """One line per job: id, kind, status, then what is going on or how it ended."""
    parts = [job.id, job.kind, job.status]
    if job.status == "running":
        parts.append(_running(job))
    if job.status == "succeeded" and job.kind == "train":
        parts.append(_kept(job))
    elif job.metrics and job.status != "running":
        parts.append(f"AUC {job.metrics.get('auc', float('nan')):.4f} (last epoch)")
    if job.model_version:
        parts.append(f"version {job.model_version}")
    if job.error:
        parts.append(f"error: {job.error}")
    return "  ".join(part for part in parts if part)


def _running(job: Job) -> str:
    progress = job.progress or {}
    if not progress:
        done = f", {job.epoch} epoch(s) done" if job.epoch else ""
        return f"{job.stage or 'starting'}{done}"
    share = progress["rows_done"] / max(progress["rows_total"], 1)
    if share >= 1:
        epoch = f"epoch {progress['epoch']} of {progress['max_epochs']}"
        return f"{job.stage}: {epoch}, training rows done, validating"
    text = (
        f"{job.stage}: epoch {progress['epoch']} of {progress['max_epochs']} "
        f"{share:.0%} ({progress['rows_done']:,} of {progress['rows_total']:,} rows, "
        f"{progress['rows_per_second']:,.0f} rows/s"
    )
    left = progress.get("epoch_seconds_left")
    return text + (f", epoch ends in {left:,.0f} s)" if left is not None else ")")


def _kept(job: Job) -> str:
    """A finished training's figures: those of the kept epoch, as `models list` shows them."""
    result, metrics = job.result or {}, job.metrics or {}
    early = ", stopped early" if result.get("stopped_early") else ""
    kept = f"kept epoch {metrics.get('epoch')} of {result.get('epochs_run')}{early}"
    return f"AUC {metrics.get('auc', float('nan')):.4f}  {kept}"
