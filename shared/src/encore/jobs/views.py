"""Jobs and versions as plain dictionaries: what the CLI prints and the API answers."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from encore.db.tables import EpochRecord, Job, JobLogLine, ModelVersion

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


def log_line_dict(line: JobLogLine) -> dict[str, Any]:
    return {"at": _plain(line.at), "level": line.level, "message": line.message}


def sweep_figure(job: Job, artifacts_dir: Path) -> Path | None:
    """A finished sweep's figure, if its file is there and inside the artifacts folder."""
    name = (job.result or {}).get("figure") if job.kind == "sweep" else None
    if not isinstance(name, str):
        return None
    root = artifacts_dir.resolve()
    path = (root / name).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
