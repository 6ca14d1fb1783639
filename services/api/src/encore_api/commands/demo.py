"""`encore demo`: the whole service on embedded defaults, from generated data to predictions."""

from __future__ import annotations

import argparse
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from encore.commands.options import add_command
from encore.errors import EncoreError
from encore_api.client import ApiClient, free_port

if TYPE_CHECKING:
    from encore.settings import Settings

DATASET, SHOWN_ROWS = "demo", 20
# Enough plays for the default model to come within 0.03 AUC of the generator's best on the
# validation rows on every machine tried (4,000 training rows left it 0.08 short; 30,000 gave
# 0.022 on one machine and 0.032 on another, whose floating point differs), small enough for
# a short demo.
DEMO_ROWS = 60_000
# The stage a job ends with, which its status already says.
_ENDINGS = {"succeeded": "done", "failed": "failed", "cancelled": "cancelled"}


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "demo",
        "generate data, start the API, train through it, predict 20 rows, stop",
        "Run Encore end to end with no services: generate a small KKBOX-format data set, "
        "start the API on loopback (SQLite records, jobs in a background thread), POST "
        "/train, follow the job, then POST 20 validation rows to /predict and print the "
        "probabilities with accuracy, precision and recall, as the original demo did.",
        run,
    )
    parser.add_argument(
        "--workdir", type=Path, default=Path(".demo"), help="where data and models go (.demo)"
    )
    parser.add_argument("--seed", type=int, default=7, help="generator seed (7)")
    parser.add_argument(
        "--rows",
        type=_positive,
        default=DEMO_ROWS,
        help=f"train.csv rows to generate ({DEMO_ROWS:,}; fewer is quicker and less accurate)",
    )


def _positive(text: str) -> int:
    value = int(text) if text.isdigit() else 0
    if value < 1_000:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1,000, got {text!r}")
    return value


def run(args: argparse.Namespace) -> int:
    from encore.datagen.generate import generate
    from encore.settings import Settings

    workdir: Path = args.workdir
    _say(f"1/4 generating {args.rows:,} KKBOX-format plays in {workdir / 'data' / DATASET}")
    generate(workdir / "data" / DATASET, args.rows, args.seed)
    shutil.rmtree(workdir / "artifacts", ignore_errors=True)  # a fresh registry every run
    settings = Settings(
        data_dir=workdir / "data",
        artifacts_dir=workdir / "artifacts",
        database_url=None,
        redis_url=None,
        model_poll_seconds=0.5,
    )
    with _serving(settings) as client:
        job = _train(client)
        _wait_until_ready(client)
        _predict(client, workdir / "data" / DATASET, job)
    _say("4/4 the API has stopped; models and records are in " + str(workdir / "artifacts"))
    return 0


@contextmanager
def _serving(settings: Settings) -> Iterator[ApiClient]:
    import uvicorn

    from encore_api.app import create_app

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="encore-demo-api", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise EncoreError("the API did not start")
        time.sleep(0.05)
    _say(f"2/4 API listening on http://127.0.0.1:{port} (docs at /docs)")
    try:
        yield ApiClient(f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(30)


def _train(client: ApiClient) -> dict[str, Any]:
    status, body = client.post("/train", {"dataset": DATASET})
    if status != 202:
        raise EncoreError(f"POST /train answered {status}: {body}")
    _say(f"3/4 POST /train -> 202, job {body['job_id']}")
    job = client.follow_job(body["job_id"], lambda j: _say(f"    {_state(j)}"))
    if job["status"] != "succeeded":
        raise EncoreError(f"training {job['status']}: {job['error']}")
    result = job["result"]
    early = ", stopped early" if result["stopped_early"] else ""
    _say(
        f"    version {job['model_version']}: kept epoch {result['kept_epoch']} of "
        f"{result['epochs_run']}{early}, validation AUC {result['metrics']['auc']:.3f}"
    )
    best = result["metrics"].get("oracle_auc")
    if best is not None:
        _say(
            f"    the generator's best possible on the same validation rows: AUC {best:.3f} "
            f"(the model is {best - result['metrics']['auc']:.3f} below it)"
        )
    return job


def _state(job: dict[str, Any]) -> str:
    """The job's state in a few words: "queued", "running: training, 2 epoch(s) done",
    "succeeded" (the stage only where it says more than the status)."""
    stage = job.get("stage")
    if not stage or stage == _ENDINGS.get(job["status"]):
        return str(job["status"])
    done = f", {job['epoch']} epoch(s) done" if job.get("epoch") else ""
    return f"{job['status']}: {stage}{done}"


def _wait_until_ready(client: ApiClient, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while client.get("/ready")[0] != 200:
        if time.monotonic() > deadline:
            raise EncoreError("the API never became ready")
        time.sleep(0.2)


def _predict(client: ApiClient, data_dir: Path, job: dict[str, Any]) -> None:
    import pandas as pd

    from encore.metrics import score

    plays = pd.read_csv(data_dir / "train.csv", dtype=str, keep_default_na=False)
    shown = plays.tail(SHOWN_ROWS)  # the latest rows: the validation split's end
    rows = [
        {k: v for k, v in row.items() if v != ""}
        for row in shown.drop(columns="target").to_dict("records")
    ]
    status, body = client.post("/predict", {"rows": rows})
    if status != 200:
        raise EncoreError(f"POST /predict answered {status}: {body}")
    truth = shown["target"].astype(int).tolist()
    probabilities = [p["probability"] for p in body["predictions"]]
    _say(f"\nPOST /predict with {SHOWN_ROWS} validation rows -> model {body['model_version']}")
    _say(f"{'row':>4} {'probability':>12} {'label':>6} {'truth':>6}")
    for index, (p, t) in enumerate(zip(probabilities, truth, strict=True)):
        _say(f"{index:>4} {p:>12.3f} {int(p >= 0.5):>6} {t:>6}")
    scores = score(pd.Series(truth), pd.Series(probabilities))
    _say(
        f"accuracy {scores.accuracy:.2f}, precision {scores.precision:.2f}, recall "
        f"{scores.recall:.2f} on these {SHOWN_ROWS} rows (validation AUC of the model over "
        f"all its validation rows: {job['result']['metrics']['auc']:.3f})\n"
    )


def _say(message: str) -> None:
    print(message, flush=True)
