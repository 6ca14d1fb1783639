"""How long the dashboard's pages take on the server with a long history: 1,000 jobs (with
their epochs and log lines) and 200 versions in PostgreSQL, the API under uvicorn on loopback.

Server time is the Server-Timing header every HTML answer carries (from the request reaching
the app to its answer starting); the wall time of each request, seen by the client, is given
too. Baselines in the same run: /health and the JSON list of the same 100 jobs.

    .venv/bin/python -m bench.bench_dashboard [--jobs 1000] [--versions 200] [--requests 30]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.served import ROOT, generated_data
from encore.artifacts import read_manifest
from encore.db import upgrade
from encore.db.engine import session_scope
from encore.db.tables import EpochRecord, Job, JobLogLine, ModelVersion
from encore.model import ModelConfig
from encore.pipeline import train_version
from encore_api.client import free_port
from tests.services import POSTGRES, fresh_database

TARGET_MS = 100.0
EPOCHS_PER_JOB = 10
LOG_LINES_PER_JOB = 15
QUICK = ModelConfig(max_epochs=2, batch_size=256, hidden=(32, 16), embedding_dim=8)


def main() -> None:
    args = _arguments()
    with tempfile.TemporaryDirectory() as folder, fresh_database(args.postgres) as url:
        work = Path(folder)
        version = train_version(generated_data(work), work / "artifacts", QUICK)
        upgrade(url)
        seeded = seed(url, version, args.jobs, args.versions)
        with _served(url, work) as base:
            pages = _paths(seeded)
            results = {path: measure(base + path, args.requests) for path in pages}
    slowest = max(result["server_ms"]["median"] for path, result in results.items()
                  if path.startswith("/ui"))  # fmt: skip
    print(json.dumps({
        "jobs": args.jobs, "versions": args.versions,
        "epochs": args.jobs * EPOCHS_PER_JOB, "log_lines": args.jobs * LOG_LINES_PER_JOB,
        "requests_per_path": args.requests, "target_ms": TARGET_MS,
        "slowest_page_median_ms": round(slowest, 2), "within_target": slowest < TARGET_MS,
        "paths": results,
    }, indent=2))  # fmt: skip


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1_000)
    parser.add_argument("--versions", type=int, default=200)
    parser.add_argument("--requests", type=int, default=30, help="per page, after one warm-up")
    parser.add_argument("--postgres", default=POSTGRES, help="server to create a database on")
    return parser.parse_args()


def seed(url: str, version: Path, jobs: int, versions: int) -> dict[str, Any]:
    """Jobs of every kind and status (most trained, with epochs and log lines), and versions
    sharing one real folder (the version page reads its manifest and curves)."""
    metrics = read_manifest(version)["final_metrics"]
    start = datetime.now(UTC) - timedelta(days=30)
    job_ids = [f"00000000-0000-4000-8000-{index:012d}" for index in range(jobs)]
    with session_scope(url) as session:
        for index, job_id in enumerate(job_ids):
            created = start + timedelta(minutes=index)
            session.add(_job(job_id, index, created, metrics))
        session.flush()
        for job_id in job_ids:
            session.add_all(_epochs(job_id))
            session.add_all(_log(job_id))
        for index in range(versions):
            session.add(ModelVersion(
                version=f"{start + timedelta(hours=index):%Y%m%dT%H%M%SZ}-{index:04x}",
                job_id=job_ids[index * max(1, jobs // versions)], path=str(version),
                metrics=metrics, data_fingerprint="ab" * 32, active=index == versions - 1,
                created_at=start + timedelta(hours=index),
            ))  # fmt: skip
    return {"job": job_ids[-1], "versions": _version_names(url)}


def _job(job_id: str, index: int, created: datetime, metrics: dict[str, Any]) -> Job:
    kind = ("train", "train", "train", "sweep", "score")[index % 5]
    status = ("succeeded", "succeeded", "failed", "cancelled", "succeeded")[index % 5]
    return Job(
        id=job_id, kind=kind, status=status, dataset="kkbox",
        params={"dataset": "kkbox", "preset": "default", "params": {"max_epochs": 20}},
        created_at=created, started_at=created + timedelta(seconds=2),
        finished_at=created + timedelta(minutes=5), stage="done", epoch=EPOCHS_PER_JOB,
        max_epochs=20, metrics=metrics, cancel_requested=False,
        error="train.csv, line 7: bad value" if status == "failed" else None,
    )  # fmt: skip


def _epochs(job_id: str) -> list[EpochRecord]:
    return [
        EpochRecord(job_id=job_id, run=0, epoch=epoch, train_loss=0.7 - epoch / 100,
                    valid_loss=0.71 - epoch / 120, auc=0.6 + epoch / 100, accuracy=0.6,
                    precision=0.6, recall=0.6, learning_rate=1e-3, seconds=30.0,
                    rows_per_second=200_000.0)
        for epoch in range(1, EPOCHS_PER_JOB + 1)
    ]


def _log(job_id: str) -> list[JobLogLine]:
    now = datetime.now(UTC)
    return [JobLogLine(job_id=job_id, at=now, level="info", message=f"line {line}")
            for line in range(LOG_LINES_PER_JOB)]  # fmt: skip


def _version_names(url: str) -> list[str]:
    with session_scope(url) as session:
        return [v.version for v in session.query(ModelVersion).order_by(ModelVersion.version)]


def _paths(seeded: dict[str, Any]) -> list[str]:
    newest, older = seeded["versions"][-1], seeded["versions"][0]
    return [
        "/health",
        "/jobs?limit=100",
        "/ui/jobs",
        "/ui/jobs?limit=1000",
        f"/ui/jobs/{seeded['job']}",
        f"/ui/jobs/{seeded['job']}/live",
        "/ui/models",
        f"/ui/models/{newest}",
        f"/ui/compare?a={older}&b={newest}",
        "/ui/datasets",
        "/ui/try",
    ]


def measure(url: str, requests: int) -> dict[str, Any]:
    _get(url)  # warm-up: the first answer compiles the page's template
    server, wall = [], []
    for _ in range(requests):
        started = time.perf_counter()
        headers = _get(url)
        wall.append((time.perf_counter() - started) * 1000)
        timing = headers.get("server-timing")
        if timing:
            server.append(float(timing.removeprefix("app;dur=")))
    result = {"wall_ms": _summary(wall)}
    if server:
        result["server_ms"] = _summary(server)
    return result


def _get(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=30) as reply:
        reply.read()
        assert reply.status == 200, (url, reply.status)
        return {name.lower(): value for name, value in reply.headers.items()}


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return {"median": round(statistics.median(ordered), 2), "p95": round(p95, 2),
            "max": round(ordered[-1], 2)}  # fmt: skip


class _served:
    """`encore serve`'s app under uvicorn with these records (embedded worker, no Redis)."""

    def __init__(self, url: str, work: Path) -> None:
        self.port = free_port()
        env = {key: value for key, value in os.environ.items() if not key.startswith("ENCORE_")}
        env.pop("REDIS_URL", None)
        env.update(DATABASE_URL=url, ENCORE_ARTIFACTS_DIR=str(work / "artifacts"),
                   ENCORE_DATA_DIR=str(work))  # fmt: skip
        uvicorn = str(Path(sys.executable).with_name("uvicorn"))
        command = [uvicorn, "encore_api.app:app_from_env", "--factory", "--port", str(self.port),
                   "--log-level", "warning", "--no-access-log"]  # fmt: skip
        self.process = subprocess.Popen(command, env=env, cwd=ROOT)

    def __enter__(self) -> str:
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                _get(base + "/ready")
                return base
            except (OSError, AssertionError):
                time.sleep(0.3)
        raise RuntimeError("the API did not become ready")

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        self.process.wait(30)


if __name__ == "__main__":
    main()
