"""Jobs and versions as plain dictionaries: what the CLI prints and the API answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from encore.db.tables import EpochRecord, Job, ModelVersion

JOB_FIELDS = (
    "id",
    "kind",
    "status",
    "dataset",
    "params",
    "stage",
    "epoch",
    "max_epochs",
    "progress",
    "metrics",
    "model_version",
    "result",
    "error",
    "worker",
    "rq_id",
    "cancel_requested",
    "created_at",
    "started_at",
    "finished_at",
)
EPOCH_FIELDS = (
    "run",
    "epoch",
    "train_loss",
    "valid_loss",
    "auc",
    "accuracy",
    "precision",
    "recall",
    "learning_rate",
    "seconds",
    "rows_per_second",
)
VERSION_FIELDS = (
    "version",
    "job_id",
    "path",
    "metrics",
    "data_fingerprint",
    "active",
    "created_at",
    "activated_at",
)


def job_dict(job: Job, epochs: list[EpochRecord] | None = None) -> dict[str, Any]:
    data = {name: _plain(getattr(job, name)) for name in JOB_FIELDS}
    if epochs is not None:
        data["epochs"] = [{name: getattr(row, name) for name in EPOCH_FIELDS} for row in epochs]
    return data


def version_dict(record: ModelVersion) -> dict[str, Any]:
    return {name: _plain(getattr(record, name)) for name in VERSION_FIELDS}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
