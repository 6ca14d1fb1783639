"""A worker that died with its job still running: the next worker to start fails that job."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from encore.jobs import EmbeddedWorker, JobStore, reconcile
from encore.settings import Settings
from tests.jobs.conftest import DATASET
from tests.services import start_worker


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _running_job(store: JobStore, worker: str) -> str:
    job = store.create("train", {"dataset": DATASET, "preset": "default", "params": {}})
    assert store.claim(job.id, worker, os.getpid()) is not None
    return job.id


def test_a_starting_rq_worker_fails_jobs_of_workers_that_are_gone(
    rq_settings: Settings,
) -> None:
    store = JobStore(rq_settings.records_url())
    dead_here = _running_job(store, f"worker@{socket.gethostname()}.{_dead_pid()}")
    unknown_elsewhere = _running_job(store, "worker@another-host.12")
    start_worker(rq_settings).communicate(timeout=120)
    for job_id in (dead_here, unknown_elsewhere):
        job = store.get(job_id)
        assert job.status == "failed"
        assert "stopped while the job ran" in str(job.error)


def test_jobs_of_live_workers_are_left_alone(rq_settings: Settings) -> None:
    store = JobStore(rq_settings.records_url())
    alive_here = f"worker@{socket.gethostname()}.{os.getpid()}"
    job_id = _running_job(store, alive_here)
    assert reconcile(store, {alive_here}, me="worker@somewhere.1") == []
    assert store.get(job_id).status == "running"


def test_an_embedded_worker_fails_jobs_left_running_by_a_dead_process(
    embedded_settings: Settings,
) -> None:
    store = JobStore(embedded_settings.records_url())
    left_over = _running_job(store, f"embedded@{socket.gethostname()}.{_dead_pid()}")
    mine_alive = _running_job(store, f"embedded@{socket.gethostname()}.{os.getpid()}")
    EmbeddedWorker(embedded_settings, name="embedded@test.1").drain()
    assert store.get(left_over).status == "failed"
    assert store.get(mine_alive).status == "running"
