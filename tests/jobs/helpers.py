"""Waiting on job records, and reading what a test asserts about."""

from __future__ import annotations

import time
from collections.abc import Callable

from encore.db.tables import Job
from encore.jobs import JobStore


def wait_for(
    store: JobStore, job_id: str, done: Callable[[Job], bool], timeout: float = 120.0
) -> Job:
    """Poll the job's row until `done` holds; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = store.get(job_id)
        if done(job):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} never got there; last seen: {store.get(job_id).status}")


def has_epochs(count: int) -> Callable[[Job], bool]:
    return lambda job: job.status == "running" and (job.epoch or 0) >= count


def complete_versions(artifacts: object) -> list[str]:
    from pathlib import Path

    models = Path(str(artifacts)) / "models"
    if not models.is_dir():
        return []
    return sorted(p.name for p in models.iterdir() if (p / "manifest.json").is_file())
