"""Rows to score as columns of the spec's inputs: from the API's dicts or a joined frame.

Text columns are object arrays with None where missing; number columns float64 with NaN.
Only the inputs that some row gives are kept: the columns a batch leaves out entirely cost
nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from encore.errors import EncoreError
from encore.features.spec import INPUT_BY_NAME

Objects = npt.NDArray[np.object_]


@dataclass(frozen=True)
class Columns:
    length: int
    given: dict[str, npt.NDArray[Any]]

    def get(self, name: str) -> npt.NDArray[Any] | None:
        return self.given.get(name)

    def text(self, name: str) -> Objects:
        """A text column, all None where the batch does not give it."""
        column = self.given.get(name)
        return column if column is not None else np.full(self.length, None, dtype=object)

    @classmethod
    def of_records(cls, records: Sequence[Mapping[str, Any]]) -> Columns:
        """Columns of dicts holding inputs by name (left out: an absent key or None)."""
        names = set().union(*records) & INPUT_BY_NAME.keys()
        given = {name: _column([record.get(name) for record in records], name) for name in names}
        return cls(len(records), given)

    @classmethod
    def of_frame(cls, frame: pd.DataFrame) -> Columns:
        """Columns of a frame of joined plays (encore.ingest.consolidate's)."""
        given = {}
        for name in INPUT_BY_NAME.keys() & set(frame.columns):
            column = frame[name]
            if INPUT_BY_NAME[name].kind == "number":
                given[name] = column.to_numpy(dtype=np.float64, na_value=np.nan)
            else:
                given[name] = column.astype(object).where(column.notna(), None).to_numpy()
        return cls(len(frame), given)


def _column(values: list[Any], name: str) -> npt.NDArray[Any]:
    if INPUT_BY_NAME[name].kind == "text":
        column = np.empty(len(values), dtype=object)
        column[:] = values
        return column
    try:
        return np.array([math.nan if value is None else value for value in values], np.float64)
    except (TypeError, ValueError):
        raise EncoreError(f"features: column {name!r} holds a value that is no number") from None
