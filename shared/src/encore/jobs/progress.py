"""A job's progress, written to its row as it goes; and its cancellation check."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from encore.jobs.store import JobStore
from encore.pipeline import Hooks
from encore.training import EpochMetrics

# How often a running job looks for a cancel request within an epoch (it is asked between
# batches); it also looks at the start of every epoch.
CANCEL_CHECK_SECONDS = 1.0


@dataclass
class JobProgress:
    """Stages as users read them: `epoch n of N` names the epoch in progress.

    `run` numbers the fits of a sweep (one per learning rate) and `run_label` prefixes
    their stages; the job's `epoch` column holds the last completed epoch.
    """

    store: JobStore
    job_id: str
    max_epochs: int
    run: int = 0
    run_label: str = ""
    _last_check: float = field(default=0.0, repr=False)

    def hooks(self) -> Hooks:
        return Hooks(stage=self.stage, epoch=self.epoch, should_stop=self.should_stop)

    def stage(self, name: str) -> None:
        if name == "training":
            name = self._in_progress(1)
        self.store.set(self.job_id, stage=self.run_label + name)

    def epoch(self, metrics: EpochMetrics) -> None:
        label = self.run_label + self._in_progress(metrics.epoch + 1)
        self.store.record_epoch(self.job_id, self.run, metrics, stage=label)
        self._last_check = 0.0  # look at the first batch of the next epoch, however short

    def should_stop(self) -> bool:
        now = time.monotonic()
        if now - self._last_check < CANCEL_CHECK_SECONDS:
            return False
        self._last_check = now
        return self.store.cancel_requested(self.job_id)

    def _in_progress(self, epoch: int) -> str:
        if epoch > self.max_epochs:
            return "training done"
        return f"epoch {epoch} of {self.max_epochs}"
