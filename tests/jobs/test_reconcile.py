"""A worker that died with its job still running: the next worker to start fails that job."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from typing import ClassVar

import pytest

from encore.db.tables import Job
from encore.jobs import EmbeddedWorker, JobStore, ModelRegistry, reconcile
from encore.settings import Settings
from tests.conftest import Trained
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
    rq_settings: Settings, trained: Trained
) -> None:
    store = JobStore(rq_settings.records_url())
    dead_here = _running_job(store, f"worker@{socket.gethostname()}.{_dead_pid()}")
    unknown_elsewhere = _running_job(store, "worker@another-host.12")
    # Its worker died between the folder's rename and the database insert.
    written = trained.write(rq_settings.artifacts_dir, job_id=dead_here)
    start_worker(rq_settings).communicate(timeout=120)
    for job_id in (dead_here, unknown_elsewhere):
        job = store.get(job_id)
        assert job.status == "failed"
        assert "stopped while the job ran" in str(job.error)
    (adopted,) = ModelRegistry(rq_settings.records_url()).versions()
    assert (adopted.version, adopted.job_id) == (written.name, dead_here)


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


def test_a_version_written_but_never_registered_is_adopted_whole(
    embedded_settings: Settings, trained: Trained, caplog: pytest.LogCaptureFixture
) -> None:
    """Its manifest holds everything the record needs: nothing of hours of training is lost."""
    folder = trained.write(embedded_settings.artifacts_dir)
    registry = ModelRegistry(embedded_settings.records_url())
    assert registry.versions() == []
    with caplog.at_level(logging.WARNING, logger="encore.jobs.adopt"):
        EmbeddedWorker(embedded_settings, name="embedded@test.1").drain()
    (record,) = registry.versions()
    assert (record.version, record.path) == (folder.name, str(folder.resolve()))
    assert record.active, "the first version registered is the active one, as for a job"
    assert record.metrics["auc"] == trained.result.best.auc
    assert f"model {folder.name}: found on disk but not registered" in caplog.text


def test_an_unregistered_version_that_does_not_load_is_moved_aside_with_a_log_line(
    embedded_settings: Settings, trained: Trained, caplog: pytest.LogCaptureFixture
) -> None:
    folder = trained.write(embedded_settings.artifacts_dir)
    (folder / "weights.pt").write_bytes(b"cut short")
    with caplog.at_level(logging.WARNING, logger="encore.jobs.adopt"):
        EmbeddedWorker(embedded_settings, name="embedded@test.1").drain()
    assert ModelRegistry(embedded_settings.records_url()).versions() == []
    moved = embedded_settings.artifacts_dir / "rejected" / folder.name
    assert not folder.exists() and (moved / "manifest.json").is_file()
    assert f"model {folder.name}: never registered and does not load" in caplog.text
    assert "weights.pt differs from its manifest" in caplog.text
    EmbeddedWorker(embedded_settings, name="embedded@test.2").drain()  # not tried again
    assert caplog.text.count("does not load") == 1
