"""What a running job's row says about its progress: one story, never two."""

from __future__ import annotations

import time

from encore.jobs import JobStore
from encore.jobs.progress import JobProgress
from encore.settings import Settings
from encore.training import EpochMetrics


def _metrics(epoch: int) -> EpochMetrics:
    return EpochMetrics(epoch, 0.6, 0.55, 0.7, 0.65, 0.6, 0.5, 1e-3, 1.0, 4000.0)


def test_the_stage_never_names_an_epoch_the_epoch_count_contradicts(
    embedded_settings: Settings,
) -> None:
    """`stage` is the phase; `epoch` counts completed epochs; `progress` names the one under
    way. (The stage said "epoch 2 of 8" while `epoch` said 1.)"""
    store = JobStore(embedded_settings.records_url())
    job = store.create("train", {"dataset": "tiny"})
    progress = JobProgress(store, job.id, max_epochs=2)
    seen = []
    for step in ("ingest", "features", "training"):
        progress.stage(step)
        seen.append(store.get(job.id).stage)
    progress.batch(2_000, 4_000)
    under_way = store.get(job.id)
    progress.epoch(_metrics(1))
    progress.batch(4_000, 4_000)
    second = store.get(job.id)
    assert seen == ["ingest", "features", "training"]
    assert under_way.progress is not None and second.progress is not None
    assert (under_way.epoch, under_way.progress["epoch"]) == (None, 1)
    assert (second.epoch, second.progress["epoch"], second.stage) == (1, 2, "training")
    assert second.metrics is not None and second.metrics["auc"] == 0.7
    assert [record.epoch for record in store.epochs(job.id)] == [1]


def test_progress_within_an_epoch_says_rows_speed_and_time_left(
    embedded_settings: Settings,
) -> None:
    store = JobStore(embedded_settings.records_url())
    job = store.create("train", {"dataset": "tiny"})
    progress = JobProgress(store, job.id, max_epochs=10)
    progress.stage("training")
    time.sleep(0.2)  # a thousand rows in 0.2 s: 5,000 rows/s, 0.6 s left of the epoch
    progress.batch(1_000, 4_000)
    shown = store.get(job.id).progress
    assert shown is not None
    assert (shown["epoch"], shown["max_epochs"]) == (1, 10)
    assert (shown["rows_done"], shown["rows_total"]) == (1_000, 4_000)
    assert shown["rows_per_second"] > 0
    assert 0 < shown["epoch_seconds_left"] <= shown["run_seconds_left_at_most"]


def test_a_sweep_stage_names_its_learning_rate(embedded_settings: Settings) -> None:
    store = JobStore(embedded_settings.records_url())
    job = store.create("sweep", {"dataset": "tiny"})
    label = "learning rate 0.01, 2 of 4"
    progress = JobProgress(store, job.id, max_epochs=5, run=1, run_label=label)
    progress.stage("training")
    assert store.get(job.id).stage == "training (learning rate 0.01, 2 of 4)"
