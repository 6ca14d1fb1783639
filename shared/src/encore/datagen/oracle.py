"""Scoring plays with the planted model, drawing targets, and the oracle's own scores."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from sklearn.metrics import log_loss, roc_auc_score

from encore.datagen.plays import Plays
from encore.datagen.taste import DRIFT, LOGIT_SD, TARGET_TRAIN_RATE, PlantedModel

_CHUNK = 1_000_000


def _raw_logits(model: PlantedModel, plays: Plays) -> np.ndarray:
    """Log-odds before the intercept, computed in chunks to bound memory."""
    out = np.empty(len(plays))
    for start in range(0, len(plays), _CHUNK):
        part = slice(start, start + _CHUNK)
        user, song, context = plays.user[part], plays.song[part], plays.context[part]
        affinity = np.einsum("ij,ij->i", model.user_factors[user], model.song_style[song])
        out[part] = (
            model.context_effect[context]
            + model.user_bias[user]
            + model.context_is_local[context] * model.user_local_bias[user]
            + model.song_effect[song]
            + affinity
            + DRIFT * (plays.time[part] - 0.5)
        )
    return out


def _sigmoid(x: np.ndarray) -> np.ndarray:
    result: np.ndarray = 1.0 / (1.0 + np.exp(-x))
    return result


def calibrated(model: PlantedModel, train: Plays) -> PlantedModel:
    """Fix how predictable targets are and the train positive rate.

    The log-odds are rescaled to a set spread over train plays (so the oracle's AUC stays near
    0.80 whatever the seed), then the intercept is chosen so the mean train probability is the
    real 0.5035.
    """
    raw = _raw_logits(model, train)
    scale = LOGIT_SD / max(float(raw.std()), 1e-9)
    low, high = -10.0, 10.0
    for _ in range(32):
        middle = (low + high) / 2
        if _sigmoid(scale * raw + middle).mean() < TARGET_TRAIN_RATE:
            low = middle
        else:
            high = middle
    return replace(model, scale=scale, intercept=(low + high) / 2)


def probabilities(model: PlantedModel, plays: Plays) -> np.ndarray:
    return _sigmoid(model.scale * _raw_logits(model, plays) + model.intercept)


def draw_targets(rng: np.random.Generator, probability: np.ndarray) -> np.ndarray:
    return (rng.random(probability.size) < probability).astype(np.int8)


@dataclass(frozen=True)
class OracleScore:
    auc: float
    log_loss: float
    positive_rate: float
    rows: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "auc": self.auc,
            "log_loss": self.log_loss,
            "positive_rate": self.positive_rate,
            "rows": self.rows,
        }


def score(target: np.ndarray, probability: np.ndarray) -> OracleScore:
    return OracleScore(
        auc=float(roc_auc_score(target, probability)),
        log_loss=float(log_loss(target, probability, labels=[0, 1])),
        positive_rate=float(target.mean()),
        rows=int(target.size),
    )
