"""A job's progress, written to its row as it goes; and its cancellation check.

The row says one thing at a time, in words that agree with each other: ``stage`` is the phase
(ingest, features, training, refit, registering, then done, failed or cancelled), ``epoch``
the number of epochs of the selection run completed, and ``progress`` the epoch under way:
its number, rows done of rows in all, rows per second and the seconds left (of this epoch, and
at most of the run). During the refit (every row, the selection run's epochs again, no
validation) the stage says which refit epoch is under way and ``progress`` counts its rows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from encore.jobs.store import JobStore
from encore.pipeline import REFIT, Hooks
from encore.training import EpochMetrics

# How often a running job looks for a cancel request within an epoch (it is asked between
# batches); it also looks at the start of every epoch.
CANCEL_CHECK_SECONDS = 1.0
# How often the rows done within an epoch are written to the job's row.
PROGRESS_SECONDS = 1.0
TRAINING = "training"


@dataclass
class JobProgress:
    """`run` numbers the fits of a sweep (one per learning rate); `run_label` names the fit
    in the stage (e.g. "learning rate 0.01, 2 of 4")."""

    store: JobStore
    job_id: str
    max_epochs: int
    run: int = 0
    run_label: str = ""
    _last_check: float = field(default=0.0, repr=False)
    _last_write: float = field(default=0.0, repr=False)
    _epoch: int = field(default=1, repr=False)
    _epoch_started: float = field(default_factory=time.monotonic, repr=False)

    def hooks(self) -> Hooks:
        return Hooks(
            stage=self.stage,
            epoch=self.epoch,
            should_stop=self.should_stop,
            batch=self.batch,
            refit_epoch=self.refit_epoch,
        )

    def stage(self, name: str) -> None:
        if name == TRAINING:
            self._start_epoch(1)
        label = f"{name} ({self.run_label})" if self.run_label and name == TRAINING else name
        self.store.set(self.job_id, stage=label, progress=None)
        self.store.note(self.job_id, f"stage: {label}")

    def epoch(self, metrics: EpochMetrics) -> None:
        self.store.record_epoch(self.job_id, self.run, metrics)
        self.store.note(self.job_id, _epoch_line(metrics, self.max_epochs))
        self._start_epoch(metrics.epoch + 1)
        self._last_check = 0.0  # look at the first batch of the next epoch, however short

    def refit_epoch(self, epoch: int, epochs: int) -> None:
        """A refit epoch starts: the refit's own count replaces the selection run's."""
        self.max_epochs = epochs
        self._start_epoch(epoch)
        self._last_check = 0.0
        label = f"{REFIT} (epoch {epoch} of {epochs})"
        self.store.set(self.job_id, stage=label, progress=None)
        self.store.note(self.job_id, f"stage: {label}")

    def batch(self, rows_done: int, rows_total: int) -> None:
        now = time.monotonic()
        if now - self._last_write < PROGRESS_SECONDS and rows_done < rows_total:
            return
        self._last_write = now
        self.store.set(self.job_id, progress=self._figures(rows_done, rows_total, now))

    def should_stop(self) -> bool:
        now = time.monotonic()
        if now - self._last_check < CANCEL_CHECK_SECONDS:
            return False
        self._last_check = now
        return self.store.cancel_requested(self.job_id)

    def _start_epoch(self, number: int) -> None:
        self._epoch, self._epoch_started, self._last_write = number, time.monotonic(), 0.0

    def _figures(self, rows_done: int, rows_total: int, now: float) -> dict[str, Any]:
        speed = rows_done / max(now - self._epoch_started, 1e-9)
        figures: dict[str, Any] = {
            "epoch": self._epoch,
            "max_epochs": self.max_epochs,
            "rows_done": rows_done,
            "rows_total": rows_total,
            "rows_per_second": round(speed, 1),
            "epoch_seconds_left": None,
            "run_seconds_left_at_most": None,
        }
        if speed > 0:
            left = (rows_total - rows_done) / speed
            later = (self.max_epochs - self._epoch) * rows_total / speed
            figures["epoch_seconds_left"] = round(left, 1)
            figures["run_seconds_left_at_most"] = round(left + later, 1)
        return figures


def _epoch_line(metrics: EpochMetrics, max_epochs: int) -> str:
    return (
        f"epoch {metrics.epoch} of at most {max_epochs}: train loss {metrics.train_loss:.4f}, "
        f"valid loss {metrics.valid_loss:.4f}, AUC {metrics.auc:.4f}, "
        f"learning rate {metrics.learning_rate:.3g}, {metrics.rows_per_second:,.0f} rows/s"
    )
