"""What each epoch reports, and what a finished training returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from encore.errors import EncoreError
from encore.model import EncoreNet


@dataclass(frozen=True)
class EpochMetrics:
    """One epoch: losses, validation scores at threshold 0.5, learning rate and speed.

    ``seconds`` covers the whole epoch (training and validation); ``rows_per_second`` is
    training rows over those seconds.
    """

    epoch: int
    train_loss: float
    valid_loss: float
    auc: float
    accuracy: float
    precision: float
    recall: float
    learning_rate: float
    seconds: float
    rows_per_second: float

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


@dataclass(frozen=True)
class TrainResult:
    """The model with the best epoch's weights restored, and every epoch's metrics."""

    model: EncoreNet
    history: list[EpochMetrics]
    best_epoch: int
    stopped_early: bool

    @property
    def best(self) -> EpochMetrics:
        return self.history[self.best_epoch - 1]


class TrainingCancelled(EncoreError):
    """Raised between batches when the caller's ``should_stop`` says so."""
