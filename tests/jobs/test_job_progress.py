"""What a running job's row says about its progress."""

from __future__ import annotations

from encore.jobs import JobStore
from encore.jobs.progress import JobProgress
from encore.settings import Settings
from encore.training import EpochMetrics


def _metrics(epoch: int) -> EpochMetrics:
    return EpochMetrics(epoch, 0.6, 0.55, 0.7, 0.65, 0.6, 0.5, 1e-3, 1.0, 4000.0)


def test_stages_name_the_epoch_in_progress_and_keep_the_last_metrics(
    embedded_settings: Settings,
) -> None:
    store = JobStore(embedded_settings.records_url())
    job = store.create("train", {"dataset": "tiny"})
    progress = JobProgress(store, job.id, max_epochs=2)
    seen = []
    for step in ("ingest", "features", "training"):
        progress.stage(step)
        seen.append(store.get(job.id).stage)
    for epoch in (1, 2):
        progress.epoch(_metrics(epoch))
        seen.append(store.get(job.id).stage)
    assert seen == ["ingest", "features", "epoch 1 of 2", "epoch 2 of 2", "training done"]
    row = store.get(job.id)
    assert row.epoch == 2 and row.metrics is not None and row.metrics["auc"] == 0.7
    assert [record.epoch for record in store.epochs(job.id)] == [1, 2]


def test_a_sweep_run_prefixes_its_learning_rate(embedded_settings: Settings) -> None:
    store = JobStore(embedded_settings.records_url())
    job = store.create("sweep", {"dataset": "tiny"})
    progress = JobProgress(store, job.id, max_epochs=5, run=1, run_label="learning rate 0.01: ")
    progress.stage("training")
    assert store.get(job.id).stage == "learning rate 0.01: epoch 1 of 5"
