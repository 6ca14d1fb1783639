"""Binary classification metrics, all at one place so training, evaluation and the demo agree."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import ArrayLike
from sklearn.metrics import log_loss, precision_score, recall_score, roc_auc_score

THRESHOLD = 0.5


@dataclass(frozen=True)
class Scores:
    auc: float
    log_loss: float
    accuracy: float
    precision: float
    recall: float
    positive_rate: float
    rows: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def score(target: ArrayLike, probability: ArrayLike) -> Scores:
    """AUC and log loss on probabilities; accuracy, precision, recall at the 0.5 threshold."""
    y = np.asarray(target, dtype=np.int8)
    p = np.clip(np.asarray(probability, dtype=np.float64), 1e-7, 1 - 1e-7)
    predicted = (p >= THRESHOLD).astype(np.int8)
    both_classes = np.unique(y).size == 2
    return Scores(
        auc=float(roc_auc_score(y, p)) if both_classes else float("nan"),
        log_loss=float(log_loss(y, p, labels=[0, 1])),
        accuracy=float(np.mean(predicted == y)),
        precision=float(precision_score(y, predicted, zero_division=0)),
        recall=float(recall_score(y, predicted, zero_division=0)),
        positive_rate=float(np.mean(y)),
        rows=int(y.size),
    )
