"""Coded parts and the feature matrix gathered from them.

A part's arrays hold, for each of its rows (a distinct song, say), the vocabulary index of
every categorical field and the standardised value of every numeric column: what the model
reads for that part, computed once. A play's row of the matrix is its play part, its song
part and its member part side by side.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from encore.features.spec import PARTS, Part

Ids = npt.NDArray[np.int32]
Singles = npt.NDArray[np.float32]
# Larger matrices are gathered this many plays at a time, into one array: bounds the
# temporary copies.
GATHER_ROWS = 1 << 20


@dataclass(frozen=True)
class PartArrays:
    """``codes[row]``: the part's categorical indices; ``numeric[row]``: its numeric columns."""

    codes: Ids
    numeric: Singles

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def take(self, rows: npt.NDArray[np.intp]) -> PartArrays:
        return PartArrays(self.codes.take(rows, axis=0), self.numeric.take(rows, axis=0))

    @classmethod
    def stack(cls, arrays: list[PartArrays]) -> PartArrays:
        return cls(
            np.concatenate([a.codes for a in arrays]),
            np.concatenate([a.numeric for a in arrays]),
        )


@dataclass(frozen=True)
class FeatureMatrix:
    """One row per play (row-major): vocabulary indices and standardised numbers."""

    categorical: Ids
    numeric: Singles

    def __len__(self) -> int:
        return int(self.categorical.shape[0])


def gather(
    parts: Mapping[Part, PartArrays], at: Mapping[Part, npt.NDArray[np.intp]]
) -> FeatureMatrix:
    """The matrix of plays whose row in each part's arrays is ``at[part]``."""
    plays = len(at["play"])
    if plays <= GATHER_ROWS:
        # ndarray.take: a fraction of fancy indexing's fixed cost, which small batches feel.
        return FeatureMatrix(
            np.concatenate([parts[p].codes.take(at[p], axis=0) for p in PARTS], axis=1),
            np.concatenate([parts[p].numeric.take(at[p], axis=0) for p in PARTS], axis=1),
        )
    categorical = np.empty((plays, sum(parts[p].codes.shape[1] for p in PARTS)), np.int32)
    numeric = np.empty((plays, sum(parts[p].numeric.shape[1] for p in PARTS)), np.float32)
    for start in range(0, plays, GATHER_ROWS):
        block = slice(start, start + GATHER_ROWS)
        ids_at = numbers_at = 0
        for part in PARTS:
            rows, arrays = at[part][block], parts[part]
            ids_to = ids_at + arrays.codes.shape[1]
            numbers_to = numbers_at + arrays.numeric.shape[1]
            categorical[block, ids_at:ids_to] = arrays.codes.take(rows, axis=0)
            numeric[block, numbers_at:numbers_to] = arrays.numeric.take(rows, axis=0)
            ids_at, numbers_at = ids_to, numbers_to
    return FeatureMatrix(categorical, numeric)
