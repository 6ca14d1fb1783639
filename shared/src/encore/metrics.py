"""Binary classification metrics, all at one place so training, evaluation and the demo agree.

Computed with numpy alone (the same figures as scikit-learn's roc_auc_score, log_loss,
precision_score and recall_score, which a test checks): importing scikit-learn and the scipy
it pulls in cost every worker, API and command process about a second at start.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import ArrayLike

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
    predicted = p >= THRESHOLD
    actual = y == 1
    hits = int(np.count_nonzero(predicted & actual))
    return Scores(
        auc=auc(y, p),
        log_loss=log_loss(y, p),
        accuracy=float(np.mean(predicted == actual)),
        precision=_share(hits, int(np.count_nonzero(predicted))),
        recall=_share(hits, int(np.count_nonzero(actual))),
        positive_rate=float(np.mean(y)),
        rows=int(y.size),
    )


def auc(target: np.ndarray, probability: np.ndarray) -> float:
    """The area under the ROC curve: the chance that a random positive scores above a random
    negative, ties counting half (Mann-Whitney U on average ranks); NaN with one class."""
    positives = target == 1
    count = int(np.count_nonzero(positives))
    others = target.size - count
    if count == 0 or others == 0:
        return float("nan")
    ranks = _average_ranks(probability)
    above = float(ranks[positives].sum()) - count * (count + 1) / 2
    return above / (count * others)


def log_loss(target: np.ndarray, probability: np.ndarray) -> float:
    """Mean binary cross-entropy; `probability` is already clipped away from 0 and 1."""
    return float(-np.mean(np.where(target == 1, np.log(probability), np.log1p(-probability))))


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, tied values sharing the mean of their ranks."""
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], ordered.size]
    shared = (starts + ends + 1) / 2.0  # mean of ranks start+1 .. end
    ranks = np.empty(values.size, dtype=np.float64)
    ranks[order] = np.repeat(shared, ends - starts)
    return ranks


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


# Groups of rows by whether the model saw their listener and their song in training: where
# later rows differ from validation rows (more listeners and songs that are new).
COLD_START_GROUPS = ("user_seen", "user_unseen", "song_seen", "song_unseen", "both_unseen")


def cold_start(
    target: ArrayLike, probability: ArrayLike, user_seen: np.ndarray, song_seen: np.ndarray
) -> dict[str, dict[str, float | int]]:
    """Rows, AUC and log loss per cold-start group (``COLD_START_GROUPS``); the seen and
    unseen groups of each kind add up to every row. A group with one class has AUC NaN."""
    y = np.asarray(target, dtype=np.int8)
    p = np.clip(np.asarray(probability, dtype=np.float64), 1e-7, 1 - 1e-7)
    users, songs = np.asarray(user_seen, dtype=bool), np.asarray(song_seen, dtype=bool)
    masks = {
        "user_seen": users,
        "user_unseen": ~users,
        "song_seen": songs,
        "song_unseen": ~songs,
        "both_unseen": ~users & ~songs,
    }
    return {name: _group(y[mask], p[mask]) for name, mask in masks.items()}


def _group(y: np.ndarray, p: np.ndarray) -> dict[str, float | int]:
    if y.size == 0:
        return {"rows": 0, "auc": float("nan"), "log_loss": float("nan")}
    return {"rows": int(y.size), "auc": auc(y, p), "log_loss": log_loss(y, p)}
