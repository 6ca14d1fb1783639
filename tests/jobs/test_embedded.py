"""Embedded mode: the same job, run without Redis and with SQLite, gives the same records."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from encore.jobs import EmbeddedWorker, JobService, JobStore, ModelRegistry
from encore.jobs.views import job_dict, version_dict
from encore.settings import Settings
from tests.jobs.conftest import DATASET, ENDLESS, QUICK
from tests.jobs.helpers import has_epochs, wait_for
from tests.services import start_worker

# What differs between two runs of the same job by nature: ids, times, hosts, paths, speed.
VOLATILE = {
    "id",
    "rq_id",
    "worker",
    "created_at",
    "started_at",
    "finished_at",
    "model_version",
    "result",
    "seconds",
    "rows_per_second",
    "epochs",
}


def _records(settings: Settings, job_id: str) -> dict[str, Any]:
    store = JobStore(settings.records_url())
    job = job_dict(store.get(job_id), store.epochs(job_id))
    version = version_dict(ModelRegistry(settings.records_url()).get(job["model_version"]))
    job["metrics"] = _stable(job["metrics"])
    return {
        "job": _stable(job),
        "epochs": [_stable(epoch) for epoch in job["epochs"]],
        "version": {
            "active": version["active"],
            "metrics": _stable(version["metrics"]),
            "data_fingerprint": version["data_fingerprint"],
        },
    }


def _stable(metrics: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in metrics.items() if key not in VOLATILE}


def _submit(settings: Settings, params: dict[str, Any]) -> str:
    return (
        JobService.from_settings(settings)
        .submit("train", {"dataset": DATASET, "params": params})
        .id
    )


def test_embedded_and_rq_runs_of_one_job_record_the_same(
    rq_settings: Settings, embedded_settings: Settings
) -> None:
    rq_job = _submit(rq_settings, QUICK)
    start_worker(rq_settings).communicate(timeout=180)
    embedded_job = _submit(embedded_settings, QUICK)
    assert EmbeddedWorker(embedded_settings).drain() == 1

    rq_records = _records(rq_settings, rq_job)
    embedded_records = _records(embedded_settings, embedded_job)
    assert rq_records["job"]["status"] == "succeeded"
    assert len(rq_records["epochs"]) == QUICK["max_epochs"]
    assert embedded_records == rq_records


def test_the_background_worker_runs_jobs_as_they_are_submitted(
    embedded_settings: Settings,
) -> None:
    worker = EmbeddedWorker(embedded_settings)
    service = JobService.from_settings(embedded_settings, worker.transport)
    worker.start()
    try:
        job = service.submit("train", {"dataset": DATASET, "params": QUICK})
        store = JobStore(embedded_settings.records_url())
        done = wait_for(store, job.id, lambda job: job.status == "succeeded")
    finally:
        worker.stop()
    assert done.model_version is not None


def test_cancel_works_in_embedded_mode_too(embedded_settings: Settings) -> None:
    worker = EmbeddedWorker(embedded_settings)
    service = JobService.from_settings(embedded_settings, worker.transport)
    store = JobStore(embedded_settings.records_url())
    worker.start()
    try:
        job = service.submit("train", {"dataset": DATASET, "params": ENDLESS})
        wait_for(store, job.id, has_epochs(1))
        service.cancel(job.id)
        ended = wait_for(store, job.id, lambda job: job.status != "running", timeout=30)
    finally:
        worker.stop()
    assert ended.status == "cancelled"
    # The stage says how it ended, not the epoch it was in ("epoch 6 of 30" stayed).
    assert (ended.stage, ended.progress) == ("cancelled", None)


def test_stopping_the_embedded_worker_cancels_its_running_job(
    embedded_settings: Settings,
) -> None:
    worker = EmbeddedWorker(embedded_settings)
    store = JobStore(embedded_settings.records_url())
    job_id = (
        JobService.from_settings(embedded_settings, worker.transport)
        .submit("train", {"dataset": DATASET, "params": ENDLESS})
        .id
    )
    worker.start()
    wait_for(store, job_id, has_epochs(1))
    started = time.monotonic()
    worker.stop()
    assert time.monotonic() - started < 10
    assert store.get(job_id).status == "cancelled"


@pytest.mark.parametrize("mode", ["embedded", "rq"])
def test_an_unknown_dataset_is_refused_before_anything_is_recorded(
    mode: str, rq_settings: Settings, embedded_settings: Settings
) -> None:
    settings = embedded_settings if mode == "embedded" else rq_settings
    with pytest.raises(Exception, match="dataset 'nope': no such folder"):
        JobService.from_settings(settings).submit("train", {"dataset": "nope"})
    assert JobStore(settings.records_url()).recent() == []


def test_sweep_and_score_jobs_write_their_files(embedded_settings: Settings) -> None:
    service = JobService.from_settings(embedded_settings)
    store = JobStore(embedded_settings.records_url())
    sweep = service.submit(
        "sweep", {"dataset": DATASET, "params": QUICK, "learning_rates": [1e-2, 1e-3]}
    )
    train = service.submit("train", {"dataset": DATASET, "params": QUICK})
    score = service.submit("score", {"dataset": DATASET})
    assert EmbeddedWorker(embedded_settings).drain() == 3

    swept = store.get(sweep.id)
    swept_result = swept.result or {}
    assert swept.status == "succeeded" and set(swept_result["best"]) == {"0.01", "0.001"}
    # Files are named inside the artifacts folder, never by the host's path.
    assert not Path(swept_result["figure"]).is_absolute()
    assert (embedded_settings.artifacts_dir / swept_result["figure"]).stat().st_size > 10_000
    assert {row.run for row in store.epochs(sweep.id)} == {0, 1}

    scored = store.get(score.id)
    assert scored.status == "succeeded"
    assert scored.model_version == store.get(train.id).model_version
    scored_result = scored.result or {}
    assert not Path(scored_result["submission"]).is_absolute()
    submission = embedded_settings.artifacts_dir / scored_result["submission"]
    assert submission.parent.parent.name == scored.model_version
    lines = submission.read_text().splitlines()
    test_rows = (embedded_settings.data_dir / DATASET / "test.csv").read_text().count("\n") - 1
    assert lines[0] == "id,target" and len(lines) - 1 == scored_result["rows"] == test_rows
