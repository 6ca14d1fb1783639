"""Job records on PostgreSQL: atomic claims, cancellation rules, the first ending stands."""

from __future__ import annotations

import pytest

from encore.errors import EncoreError
from encore.jobs import JobStore, UnknownJob

PARAMS = {"dataset": "tiny", "preset": "default", "params": {}}


def test_a_job_is_claimed_once(pg_url: str) -> None:
    store = JobStore(pg_url)
    job = store.create("train", PARAMS)
    assert store.claim(job.id, "worker@a.1", 1) is not None
    assert store.claim(job.id, "worker@b.2", 2) is None
    assert store.get(job.id).worker == "worker@a.1"


def test_a_cancelled_queued_job_is_never_claimed(pg_url: str) -> None:
    store = JobStore(pg_url)
    job = store.create("train", PARAMS)
    assert store.request_cancel(job.id).status == "cancelled"
    assert store.claim(job.id, "worker@a.1", 1) is None


def test_cancelling_a_running_job_asks_it_to_stop(pg_url: str) -> None:
    store = JobStore(pg_url)
    job = store.create("train", PARAMS)
    store.claim(job.id, "worker@a.1", 1)
    asked = store.request_cancel(job.id)
    assert asked.status == "running" and store.cancel_requested(job.id)


def test_an_ended_job_cannot_be_cancelled_or_failed_again(pg_url: str) -> None:
    store = JobStore(pg_url)
    job = store.create("train", PARAMS)
    store.claim(job.id, "worker@a.1", 1)
    store.succeed(job.id, {"version": "v1"}, "v1")
    assert not store.fail(job.id, "late news")
    with pytest.raises(EncoreError, match="already ended \\(succeeded\\)"):
        store.request_cancel(job.id)
    assert store.get(job.id).status == "succeeded" and store.get(job.id).error is None


def test_an_unknown_job_is_named(pg_url: str) -> None:
    with pytest.raises(UnknownJob, match="no job 'nope'"):
        JobStore(pg_url).get("nope")
