"""Rows to score as columns of the spec's inputs: from the API's dicts or a joined frame.

Text columns are object arrays with None where missing; number columns float64 with NaN.
Only the inputs that some row gives are kept: the columns a batch leaves out entirely cost
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from encore.errors import EncoreError
from encore.features.spec import INPUT_BY_NAME


@dataclass(frozen=True)
class Columns:
    """``given[name]``: the values of an input some row gives (a list, or an array), one per
    row, missing where a row leaves it out."""

    length: int
    given: dict[str, Sequence[Any]]

    def text(self, name: str) -> Sequence[Any]:
        """A text column as given, all None where the batch does not give it."""
        column = self.given.get(name)
        return column if column is not None else [None] * self.length

    def array(self, name: str) -> npt.NDArray[Any] | None:
        """A given column as an array (text: objects, None missing; numbers: float64, NaN
        missing), or None where the batch does not give it."""
        column = self.given.get(name)
        if column is None or isinstance(column, np.ndarray):
            return column
        if INPUT_BY_NAME[name].kind == "text":
            values = np.empty(len(column), dtype=object)
            values[:] = column
            return values
        try:
            return np.array(column, dtype=np.float64)  # None becomes NaN
        except (TypeError, ValueError):
            message = f"features: column {name!r} holds a value that is no number"
            raise EncoreError(message) from None

    def gives_any(self, names: Iterable[str]) -> bool:
        return not self.given.keys().isdisjoint(names)

    @classmethod
    def of_records(cls, records: Sequence[Mapping[str, Any]]) -> Columns:
        """Columns of dicts holding inputs by name (left out: an absent key or None)."""
        names = set().union(*records) & INPUT_BY_NAME.keys()
        return cls(len(records), {name: [record.get(name) for record in records] for name in names})

    @classmethod
    def of_frame(cls, frame: pd.DataFrame) -> Columns:
        """Columns of a frame of joined plays (encore.ingest.consolidate's)."""
        given: dict[str, Sequence[Any]] = {}
        for name in INPUT_BY_NAME.keys() & set(frame.columns):
            column = frame[name]
            if INPUT_BY_NAME[name].kind == "number":
                given[name] = column.to_numpy(dtype=np.float64, na_value=np.nan)
            else:
                given[name] = column.astype(object).where(column.notna(), None).to_numpy()
        return cls(len(frame), given)
