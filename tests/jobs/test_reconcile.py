"""A worker that died with its job still running: the next worker to start fails that job."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from typing import ClassVar

from encore.db.tables import Job
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
    assert reconcile(store, lambda: {alive_here}, me="worker@somewhere.1") == []
    assert store.get(job_id).status == "running"


class _AnotherWorkerStartsMeanwhile(JobStore):
    """Listing the running jobs is when another worker registers and takes a job."""

    registered: ClassVar[set[str]] = set()

    def running(self) -> list[Job]:
        self.registered.add("worker@elsewhere.7")
        _running_job(self, "worker@elsewhere.7")
        return super().running()


def test_a_worker_that_starts_a_job_while_another_reconciles_keeps_it(
    rq_settings: Settings,
) -> None:
    """A worker registers, then takes a job; a reconciling worker must not fail that job
    whatever the timing (it did when it read the registered workers before the jobs)."""
    store = _AnotherWorkerStartsMeanwhile(rq_settings.records_url())
    registered = _AnotherWorkerStartsMeanwhile.registered
    assert reconcile(store, lambda: set(registered), me="worker@somewhere.1") == []


def test_an_embedded_worker_fails_jobs_left_running_by_a_dead_process(
    embedded_settings: Settings,
) -> None:
    store = JobStore(embedded_settings.records_url())
    left_over = _running_job(store, f"embedded@{socket.gethostname()}.{_dead_pid()}")
    mine_alive = _running_job(store, f"embedded@{socket.gethostname()}.{os.getpid()}")
    EmbeddedWorker(embedded_settings, name="embedded@test.1").drain()
    assert store.get(left_over).status == "failed"
    assert store.get(mine_alive).status == "running"
