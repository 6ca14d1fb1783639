"""A logistic-regression baseline on the same features the neural model sees.

Categorical indices become one-hot columns, numeric features pass through: a fast, strong-enough
reference that shows the whole pipeline works before any neural network is involved.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from encore.features import FeatureMatrix


def design_matrix(features: FeatureMatrix, cardinalities: Sequence[int]) -> sparse.csr_matrix:
    """One-hot encode every categorical field (each in its own block) beside the numerics."""
    rows, fields = features.categorical.shape
    offsets = np.concatenate([[0], np.cumsum(cardinalities)[:-1]]).astype(np.int64)
    columns = (features.categorical.astype(np.int64) + offsets).ravel()
    onehot = sparse.csr_matrix(
        (np.ones(rows * fields, dtype=np.float32), (np.repeat(np.arange(rows), fields), columns)),
        shape=(rows, int(sum(cardinalities))),
    )
    return sparse.hstack([onehot, sparse.csr_matrix(features.numeric)], format="csr")


class LogisticBaseline:
    """Logistic regression over `design_matrix`; `C` is the inverse regularisation strength."""

    def __init__(self, cardinalities: Sequence[int], c: float = 0.1, seed: int = 0) -> None:
        self.cardinalities = list(cardinalities)
        self.model = LogisticRegression(C=c, max_iter=500, random_state=seed)

    def fit(self, features: FeatureMatrix, target: np.ndarray) -> LogisticBaseline:
        self.model.fit(design_matrix(features, self.cardinalities), target)
        return self

    def predict_proba(self, features: FeatureMatrix) -> np.ndarray:
        probability: np.ndarray = self.model.predict_proba(
            design_matrix(features, self.cardinalities)
        )[:, 1]
        return probability
