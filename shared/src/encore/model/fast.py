"""The trained network's forward pass in numpy, for a few rows at a time.

Torch's per-operation overhead makes one row cost about 0.25 ms; the same arithmetic in
numpy costs a fraction of that. Training and large batches stay on torch; tests check that
both give the same probabilities.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from torch import nn

from encore.features import FeatureMatrix
from encore.model.network import EncoreNet

Floats = npt.NDArray[np.float32]


class NumpyForward:
    """Built once from a network in evaluation mode (dropout is then the identity).

    The embedding tables are stacked into one array, each padded to the widest, so a row's
    vectors come out of one gather instead of one per field, and the first layer's weights
    get zero rows for the padding, so no column selection is needed.
    """

    def __init__(self, model: EncoreNet) -> None:
        tables = [
            t.weight.detach().numpy() for t in model.embeddings if isinstance(t, nn.Embedding)
        ]
        width = max(table.shape[1] for table in tables)
        self.stacked: Floats = np.zeros((sum(len(t) for t in tables), width), np.float32)
        starts = np.cumsum([0, *(len(table) for table in tables[:-1])])
        for start, table in zip(starts, tables, strict=True):
            self.stacked[start : start + len(table), : table.shape[1]] = table
        self.offsets = starts.astype(np.int64)
        kept = np.concatenate(
            [field * width + np.arange(t.shape[1]) for field, t in enumerate(tables)]
        )
        linears = [layer for layer in model.layers if isinstance(layer, nn.Linear)]
        weights = [np.ascontiguousarray(layer.weight.detach().numpy().T) for layer in linears]
        first = weights[0]
        padded = len(tables) * width
        self.weights = [np.zeros((padded + first.shape[0] - len(kept), first.shape[1]), np.float32)]
        self.weights[0][kept] = first[: len(kept)]
        self.weights[0][padded:] = first[len(kept) :]
        self.weights += weights[1:]
        self.biases = [layer.bias.detach().numpy() for layer in linears]

    def probabilities(self, matrix: FeatureMatrix) -> list[float]:
        """Like ``encore.training.predict_proba``: the sigmoid of each logit, in float64."""
        return [sigmoid(logit) for logit in self.logits(matrix).tolist()]

    def logits(self, matrix: FeatureMatrix) -> Floats:
        rows = len(matrix.categorical)
        gathered = self.stacked[matrix.categorical + self.offsets].reshape(rows, -1)
        hidden = np.concatenate((gathered, matrix.numeric), axis=1)
        last = len(self.weights) - 1
        for index, (weight, bias) in enumerate(zip(self.weights, self.biases, strict=True)):
            hidden = hidden @ weight
            hidden += bias
            if index < last:
                np.maximum(hidden, 0, out=hidden)
        logits: Floats = hidden[:, 0]
        return logits


class OneRowForward:
    """``NumpyForward`` for one row, from indices and unscaled numbers, with fewer calls.

    The numbers are scaled as ``transform`` scales them (float32 subtract and divide; a
    missing number comes in as its column's mean, so it lands on the same 0) and everything
    stays in float32, as torch computes: the weights are half the bytes of float64 ones,
    which matters more than the arithmetic when the rest of a request has pushed them out of
    the CPU's caches.
    """

    def __init__(self, forward: NumpyForward, means: Floats, stds: Floats) -> None:
        self.means, self.stds = means, stds
        self.stacked = forward.stacked
        self.offsets = forward.offsets.tolist()
        self.first, self.first_bias = forward.weights[0], forward.biases[0]
        self.hidden = list(zip(forward.weights[1:-1], forward.biases[1:-1], strict=True))
        self.last, self.last_bias = forward.weights[-1][:, 0], float(forward.biases[-1][0])

    def probability(self, ids: list[int], values: list[float]) -> float:
        rows = self.stacked[
            [index + offset for index, offset in zip(ids, self.offsets, strict=True)]
        ]
        numeric = np.array(values, dtype=np.float32)
        np.subtract(numeric, self.means, out=numeric)
        np.divide(numeric, self.stds, out=numeric)
        hidden = np.concatenate((rows.ravel(), numeric)) @ self.first
        hidden += self.first_bias
        np.maximum(hidden, 0, out=hidden)
        for weight, bias in self.hidden:
            hidden = hidden @ weight
            hidden += bias
            np.maximum(hidden, 0, out=hidden)
        return sigmoid(float(hidden @ self.last) + self.last_bias)


def sigmoid(logit: float) -> float:
    """1 / (1 + e^-x), without overflow for a very negative x."""
    if logit >= 0:
        return 1.0 / (1.0 + math.exp(-logit))
    exp = math.exp(logit)
    return exp / (1.0 + exp)
