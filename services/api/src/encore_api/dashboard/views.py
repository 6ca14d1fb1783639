"""What the pages show, shaped from the records: rows of the lists, a job's live figures, the
curves of a run or a version, and the filters the templates format numbers with."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from encore.artifacts.layout import METRICS
from encore.db.tables import EpochRecord, Job
from encore.jobs.views import EPOCH_FIELDS
from encore_api.dashboard.charts import Line, line_chart

Epochs = list[dict[str, Any]]
RUNNING_STATES = ("queued", "running")
# What a figure that is not there reads as.
NONE = "\N{EN DASH}"


def job_row(job: Any, now: datetime) -> dict[str, Any]:
    """A job (or a row of JobStore.summaries) as a line of the jobs list."""
    return {
        "id": job.id,
        "kind": job.kind,
        "dataset": job.dataset,
        "status": job.status,
        "stage": job.stage,
        "created_at": job.created_at,
        "elapsed": elapsed(job, now),
        "model_version": job.model_version,
    }


def elapsed(job: Any, now: datetime) -> float | None:
    """Seconds run (so far, or in all); None while queued."""
    if job.started_at is None:
        return None
    end = job.finished_at or now
    return max(0.0, (_aware(end) - _aware(job.started_at)).total_seconds())


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive times back; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def live_figures(job: Job) -> dict[str, Any]:
    """Epoch k of n, the share of this epoch done, rows/s and the time left, while it trains."""
    progress = job.progress or {}
    figures: dict[str, Any] = {
        "epoch": progress.get("epoch") or ((job.epoch or 0) + 1 if job.max_epochs else None),
        "max_epochs": progress.get("max_epochs") or job.max_epochs,
        "rows_done": progress.get("rows_done"),
        "rows_total": progress.get("rows_total"),
        "rows_per_second": progress.get("rows_per_second"),
        "epoch_left": progress.get("epoch_seconds_left"),
        "run_left": progress.get("run_seconds_left_at_most"),
    }
    if job.status not in RUNNING_STATES:
        figures["epoch"] = job.epoch
    return figures


def epochs_by_run(epochs: list[EpochRecord]) -> dict[int, Epochs]:
    runs: dict[int, Epochs] = {}
    for record in epochs:
        runs.setdefault(record.run, []).append({f: getattr(record, f) for f in EPOCH_FIELDS})
    return runs


def run_names(job: Job, runs: dict[int, Epochs]) -> dict[str, Epochs]:
    """A sweep's runs by learning rate; a train job's one run by the job's kind."""
    rates = (job.params or {}).get("learning_rates") or []
    if job.kind == "sweep" and rates:
        return {f"rate {rates[run]:g}": epochs for run, epochs in runs.items() if run < len(rates)}
    return {"run" if run == 0 else f"run {run}": epochs for run, epochs in runs.items()}


def version_history(path: Path) -> Epochs:
    """A version's per-epoch metrics (metrics.json), or none if the file cannot be read."""
    try:
        history = json.loads((path / METRICS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return history if isinstance(history, list) else []


def curves(runs: dict[str, Epochs]) -> list[Markup]:
    """Loss, validation AUC and learning rate per epoch, one line per run (and per split for
    the losses)."""
    if not any(runs.values()):
        return []
    single = len(runs) == 1

    def lines(key: str, label: str) -> list[Line]:
        return [
            Line(label if single else f"{name}: {label}", [(e["epoch"], e.get(key)) for e in run])
            for name, run in runs.items()
        ]

    losses = lines("train_loss", "train loss") + lines("valid_loss", "validation loss")
    return [
        line_chart("Loss per epoch", losses, "binary cross-entropy"),
        line_chart("Validation AUC per epoch", lines("auc", "AUC"), "AUC"),
        line_chart("Learning rate per epoch", lines("learning_rate", "rate"), "rate", log_y=True),
    ]


def number(value: Any, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return NONE
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.{digits}f}"
    return str(value)


def share(value: Any) -> str:
    return NONE if value is None else f"{100 * float(value):.1f} %"


def seconds(value: Any) -> str:
    if value is None:
        return NONE
    total = float(value)
    if total < 60:
        return f"{total:.1f} s"
    minutes, secs = divmod(int(total), 60)
    if minutes < 60:
        return f"{minutes} min {secs} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def size(value: Any) -> str:
    amount = float(value or 0)
    for unit in ("bytes", "kB", "MB", "GB"):
        if amount < 1000 or unit == "GB":
            return f"{amount:,.0f} {unit}" if unit == "bytes" else f"{amount:,.1f} {unit}"
        amount /= 1000
    return f"{amount:,.1f} GB"


def moment(value: Any) -> str:
    if isinstance(value, datetime):
        return _aware(value).strftime("%Y-%m-%d %H:%M:%S UTC")
    return NONE if value is None else str(value)


FILTERS = {"number": number, "share": share, "seconds": seconds, "size": size, "moment": moment}
