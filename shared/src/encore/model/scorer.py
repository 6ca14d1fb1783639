"""The scorer: the trained network's forward pass in numpy, for every scoring route.

The same float32 arithmetic as torch's evaluation-mode forward pass, without torch's fixed
cost per operation (which dominates a request of a few rows); tests check both give the same
probabilities. The numeric inputs arrive standardised (the catalogue stores every part
scaled), so no scaling is left to do here.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from torch import nn

from encore.features import FeatureMatrix
from encore.model.network import EncoreNet

Floats = npt.NDArray[np.float32]
# Rows scored at a time: bounds the gathered embeddings of a large batch to a few MB.
BLOCK_ROWS = 16_384


class Scorer:
    """Built once from a network in evaluation mode (dropout is then the identity).

    The embedding tables are stacked into one array, each padded to the widest, so a row's
    vectors come out of one gather instead of one per field, and the first layer's weights
    for them get zero rows for the padding, so no column selection is needed. The first
    layer is split in two (embeddings, numbers) so that its input is never copied together.
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
        self.first_embedded = np.zeros((len(tables) * width, first.shape[1]), np.float32)
        self.first_embedded[kept] = first[: len(kept)]
        self.first_numeric = np.ascontiguousarray(first[len(kept) :])
        self.weights = weights[1:]
        self.biases = [layer.bias.detach().numpy() for layer in linears]

    def probabilities(self, matrix: FeatureMatrix) -> npt.NDArray[np.float64]:
        """Like ``encore.training.predict_proba``: the sigmoid of each logit, in float64."""
        if len(matrix) <= BLOCK_ROWS:
            logits = self.logits(matrix.categorical, matrix.numeric)
        else:
            logits = np.concatenate([
                self.logits(matrix.categorical[start : start + BLOCK_ROWS],
                            matrix.numeric[start : start + BLOCK_ROWS])
                for start in range(0, len(matrix), BLOCK_ROWS)
            ])  # fmt: skip
        return sigmoid(logits.astype(np.float64))

    def logits(self, categorical: npt.NDArray[np.int32], numeric: Floats) -> Floats:
        rows = len(categorical)
        gathered = self.stacked.take(categorical + self.offsets, axis=0).reshape(rows, -1)
        hidden = gathered @ self.first_embedded
        hidden += numeric @ self.first_numeric
        hidden += self.biases[0]
        for weight, bias in zip(self.weights, self.biases[1:], strict=True):
            np.maximum(hidden, 0, out=hidden)
            hidden = hidden @ weight
            hidden += bias
        logits: Floats = hidden[:, 0]
        return logits


def sigmoid(logits: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """1 / (1 + e^-x) without overflow: e^-log(1 + e^-x), with log(1 + e^-x) computed as
    logaddexp(0, -x)."""
    probabilities: npt.NDArray[np.float64] = np.exp(-np.logaddexp(0.0, -logits))
    return probabilities
