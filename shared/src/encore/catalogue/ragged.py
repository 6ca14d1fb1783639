"""Rows of different lengths as one flat array and the offsets of each row (memory-mappable)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class Ragged:
    offsets: npt.NDArray[np.int64]  # row i is values[offsets[i]:offsets[i + 1]]
    values: npt.NDArray[Any]

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def span(self, row: int) -> slice:
        start, end = self.offsets[row : row + 2].tolist()
        return slice(start, end)

    def row(self, row: int) -> npt.NDArray[Any]:
        return self.values[self.span(row)]

    @classmethod
    def of_lengths(cls, lengths: npt.NDArray[np.int64], values: npt.NDArray[Any]) -> Ragged:
        offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return cls(offsets, values)

    @classmethod
    def of_groups(
        cls, groups: npt.NDArray[np.intp], values: npt.NDArray[Any], count: int
    ) -> Ragged:
        """``values`` grouped by ``groups`` (0 <= group < count), each group in given order."""
        order = np.argsort(groups, kind="stable")
        lengths = np.bincount(groups, minlength=count).astype(np.int64)
        return cls.of_lengths(lengths, values[order])
