"""Standardisation of numeric columns with a mean and deviation fitted on training rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from encore.features.coded import Reals


@dataclass(frozen=True)
class Scale:
    mean: float
    std: float

    @classmethod
    def fit(cls, values: Reals) -> Scale:
        """Mean and deviation of the non-missing values; 0 and 1 when they give none."""
        present = values[~np.isnan(values)]
        if present.size == 0:
            return cls(0.0, 1.0)
        std = float(present.std(dtype=np.float64))
        return cls(float(present.mean(dtype=np.float64)), std if std > 0 else 1.0)

    def apply(self, values: Reals) -> Reals:
        """Standardised values with missing ones at 0, the training mean."""
        scaled = (values - self.mean) / self.std
        return np.where(np.isnan(scaled), 0.0, scaled)
