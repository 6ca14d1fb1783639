"""Training as RQ jobs against the real PostgreSQL and Redis, run by real burst workers."""

from __future__ import annotations

import os
import signal

from rq import Queue

from encore.jobs import JobService, JobStore, ModelRegistry
from encore.jobs.transport import RQTransport
from encore.settings import Settings
from tests.jobs.conftest import DATASET, ENDLESS, QUICK
from tests.jobs.helpers import complete_versions, has_epochs, wait_for
from tests.services import start_worker

WORKER_SECONDS = 180


def _submit(settings: Settings, params: dict[str, object]) -> str:
    job = JobService.from_settings(settings).submit("train", {"dataset": DATASET, "params": params})
    assert job.status == "queued" and job.rq_id == job.id
    return job.id


def test_a_train_job_records_its_epochs_and_registers_an_active_version(
    rq_settings: Settings,
) -> None:
    job_id = _submit(rq_settings, QUICK)
    worker = start_worker(rq_settings)
    output, _ = worker.communicate(timeout=WORKER_SECONDS)
    store = JobStore(rq_settings.records_url())
    job = store.get(job_id)
    assert job.status == "succeeded", output
    assert job.started_at and job.finished_at and job.worker and job.error is None
    assert job.stage == "done" and job.max_epochs == 3
    epochs = store.epochs(job_id)
    assert [row.epoch for row in epochs] == [1, 2, 3]
    assert all(0.5 < row.auc <= 1 for row in epochs)
    version = ModelRegistry(rq_settings.records_url()).get(str(job.model_version))
    assert version.active and version.job_id == job_id
    assert version.metrics["auc"] == max(
        row.auc for row in epochs if row.epoch == version.metrics["epoch"]
    )
    assert complete_versions(rq_settings.artifacts_dir) == [version.version]


def test_cancelling_a_running_job_stops_it_within_an_epoch(rq_settings: Settings) -> None:
    store = JobStore(rq_settings.records_url())
    job_id = _submit(rq_settings, ENDLESS)
    worker = start_worker(rq_settings)
    try:
        wait_for(store, job_id, has_epochs(1))
        asked = JobService.from_settings(rq_settings).cancel(job_id)
        job = wait_for(store, job_id, lambda job: job.status != "running", timeout=60)
    finally:
        worker.communicate(timeout=WORKER_SECONDS)
    assert job.status == "cancelled"
    # The worker checks between batches: on a fast machine it may have stopped already by the
    # time the request reads the job back.
    assert asked.status in ("running", "cancelled") and asked.cancel_requested
    assert (job.epoch or 0) <= (asked.epoch or 0) + 1
    assert job.model_version is None and complete_versions(rq_settings.artifacts_dir) == []


def test_cancelling_a_queued_job_takes_it_off_the_queue(rq_settings: Settings) -> None:
    job_id = _submit(rq_settings, QUICK)
    transport = RQTransport(str(rq_settings.redis_url), rq_settings.queue_name, 60)
    assert job_id in transport.queue().job_ids
    job = JobService.from_settings(rq_settings).cancel(job_id)
    assert job.status == "cancelled"
    assert job_id not in Queue(rq_settings.queue_name, connection=transport.connection()).job_ids
    worker = start_worker(rq_settings)
    worker.communicate(timeout=WORKER_SECONDS)
    assert JobStore(rq_settings.records_url()).get(job_id).status == "cancelled"


def test_a_work_horse_killed_mid_epoch_fails_its_job_and_the_next_job_succeeds(
    rq_settings: Settings,
) -> None:
    store = JobStore(rq_settings.records_url())
    doomed = _submit(rq_settings, ENDLESS)
    worker = start_worker(rq_settings)
    try:
        running = wait_for(store, doomed, has_epochs(1))
        assert running.pid and running.pid != worker.pid
        os.kill(running.pid, signal.SIGKILL)
        job = wait_for(store, doomed, lambda job: job.status != "running", timeout=60)
    finally:
        worker.communicate(timeout=WORKER_SECONDS)
    assert job.status == "failed"
    assert "SIGKILL" in str(job.error) and "out of memory" in str(job.error)
    assert ModelRegistry(rq_settings.records_url()).versions() == []
    assert complete_versions(rq_settings.artifacts_dir) == []

    following = _submit(rq_settings, QUICK)
    start_worker(rq_settings).communicate(timeout=WORKER_SECONDS)
    assert store.get(following).status == "succeeded"
    assert len(ModelRegistry(rq_settings.records_url()).versions()) == 1


def test_a_job_on_a_broken_dataset_fails_with_the_ingest_message(
    rq_settings: Settings,
) -> None:
    broken = rq_settings.data_dir / "broken"
    broken.mkdir(exist_ok=True)
    for name in ("songs.csv", "members.csv"):
        (broken / name).write_bytes((rq_settings.data_dir / DATASET / name).read_bytes())
    job = JobService.from_settings(rq_settings).submit("train", {"dataset": "broken"})
    start_worker(rq_settings).communicate(timeout=WORKER_SECONDS)
    failed = JobStore(rq_settings.records_url()).get(job.id)
    assert failed.status == "failed"
    assert "train.csv" in str(failed.error) and "Traceback" not in str(failed.error)


def test_two_workers_share_the_queue_and_each_job_runs_once(rq_settings: Settings) -> None:
    jobs = [_submit(rq_settings, QUICK) for _ in range(2)]
    workers = [start_worker(rq_settings, "--name", f"worker@test.{n}") for n in range(2)]
    for worker in workers:
        worker.communicate(timeout=WORKER_SECONDS)
    store = JobStore(rq_settings.records_url())
    ended = [store.get(job_id) for job_id in jobs]
    assert [job.status for job in ended] == ["succeeded", "succeeded"], [j.error for j in ended]
    assert len(ModelRegistry(rq_settings.records_url()).versions()) == 2


def test_a_job_past_its_timeout_fails_saying_so(rq_settings: Settings) -> None:
    short = rq_settings.model_copy(update={"job_timeout": 3})
    job_id = _submit(short, ENDLESS)
    start_worker(short).communicate(timeout=WORKER_SECONDS)
    job = JobStore(short.records_url()).get(job_id)
    assert job.status == "failed"
    assert "longer than its timeout" in str(job.error)


def test_the_worker_healthcheck_sees_a_running_worker_of_this_host(rq_settings: Settings) -> None:
    import subprocess

    from tests.services import ENCORE, settings_env

    check = [str(ENCORE), "worker", "--check"]
    env = settings_env(rq_settings)
    idle = subprocess.run(check, env=env, capture_output=True, text=True)
    assert idle.returncode == 1 and "no worker of" in idle.stdout
    store = JobStore(rq_settings.records_url())
    job_id = _submit(rq_settings, ENDLESS)
    worker = start_worker(rq_settings)
    try:
        wait_for(store, job_id, has_epochs(1))
        busy = subprocess.run(check, env=env, capture_output=True, text=True)
        assert busy.returncode == 0 and "registered: worker@" in busy.stdout
    finally:
        JobService.from_settings(rq_settings).cancel(job_id)
        worker.communicate(timeout=WORKER_SECONDS)
