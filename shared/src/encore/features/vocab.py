"""Vocabulary of one categorical field: training values with their play counts.

Indices: 0 is padding, 1 out-of-vocabulary (a value unseen in training or seen fewer than
``min_count`` times), 2 missing (an empty field or a failed join: it carries information,
e.g. "no composer listed", so it is not lumped with unseen values), then the kept values,
most frequent first. Every training value is stored with its count, also those below
``min_count``, because play counts and popularity are read from the same table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from encore.features.coded import Coded, Codes

PAD = 0
OOV = 1
MISSING = 2
RESERVED = 3


class Vocabulary:
    def __init__(self, tokens: list[str], counts: list[int], min_count: int) -> None:
        self.tokens = tokens
        self.counts = np.asarray(counts, dtype=np.int64)
        self.min_count = min_count
        self.index = pd.Index(tokens, dtype="str")  # built once: lookups hash, never scan
        self.kept = int(np.count_nonzero(self.counts >= min_count))

    @classmethod
    def fit(cls, field: Coded, min_count: int) -> Vocabulary:
        """Count each value's rows; order by count (descending), then by value."""
        counts = np.bincount(field.codes[field.codes >= 0], minlength=len(field.values))
        seen = counts > 0
        table = pd.DataFrame({"token": field.values[seen].astype("str"), "count": counts[seen]})
        table = table.sort_values(["count", "token"], ascending=[False, True], kind="stable")
        return cls(table["token"].tolist(), table["count"].tolist(), min_count)

    @property
    def size(self) -> int:
        """Number of indices, reserved ones included: the embedding table's row count."""
        return self.kept + RESERVED

    def ids(self, field: Coded) -> Codes:
        """Index of every row's value."""
        position = self.index.get_indexer(field.values)
        return field.per_row(ids_at(position, self.kept), MISSING)

    def positions(self, field: Coded) -> Codes:
        """Position of every row's value among all training values, -1 if unseen or missing."""
        per_value = self.index.get_indexer(field.values).astype(np.int32)
        return field.per_row(per_value, -1)

    def knows(self, values: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """Whether each value was seen in training (below min_count too)."""
        found: npt.NDArray[np.bool_] = self.index.get_indexer(pd.Index(values, dtype="str")) >= 0
        return found

    def training_counts(self, field: Coded) -> npt.NDArray[np.int64]:
        """Training rows holding every row's value; 0 for unseen and missing values."""
        counts = np.append(self.counts, 0)
        return counts[self.positions(field)]

    def token_names(self) -> list[str]:
        """A readable name for every index but padding, in index order."""
        return ["<oov>", "<missing>", *self.tokens[: self.kept]]

    def to_dict(self) -> dict[str, Any]:
        return {"tokens": self.tokens, "counts": self.counts.tolist()}

    @classmethod
    def from_dict(cls, data: dict[str, Any], min_count: int) -> Vocabulary:
        return cls(list(data["tokens"]), list(data["counts"]), min_count)


def ids_at(positions: npt.NDArray[np.integer[Any]], kept: int) -> Codes:
    """Indices of values at these positions among a vocabulary's training values (-1: not
    among them): kept values by rank, everything else out-of-vocabulary."""
    known = (positions >= 0) & (positions < kept)
    return np.where(known, positions + RESERVED, OOV).astype(np.int32)
