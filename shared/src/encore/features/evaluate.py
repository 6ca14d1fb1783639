"""Evaluating the spec's fields over a table of one part (distinct songs, members or sources).

Each name is computed once per table and kept: an input read from the frame (text as codes
into its distinct values, numbers as float64), a step, or a field, from the names its entry
lists as inputs. Learnt fields (play counts, shares) read the fitted statistics passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np
import pandas as pd

from encore.errors import EncoreError
from encore.features.coded import Coded, Floats, Singles, coded_text
from encore.features.spec import (
    FIELDS,
    INPUT_BY_NAME,
    STEPS,
    Entry,
    Field,
    Part,
    PlayCount,
    Shares,
    inputs_of,
)
from encore.features.stats import ShareTable
from encore.features.vocab import Vocabulary

_STEPS = {step.name: step for step in STEPS}
_FIELDS = {entry.name: entry for entry in FIELDS}


class Fitted(Protocol):
    """What learnt fields read: the vocabularies and the share tables."""

    vocabularies: dict[str, Vocabulary]
    shares: dict[str, ShareTable]


class Evaluation:
    """The values of one part's names over ``table`` (one row per distinct key)."""

    def __init__(self, part: Part, table: pd.DataFrame, fitted: Fitted | None = None) -> None:
        missing = [name for name in inputs_of(part) if name not in table.columns]
        if missing:
            raise EncoreError(f"features: the input lacks column(s) {', '.join(missing)}")
        self.part = part
        self.table = table
        self.fitted = fitted
        self._values: dict[tuple[str, str], Any] = {}

    def __len__(self) -> int:
        return len(self.table)

    def value(self, name: str) -> Any:
        """What ``name`` means in an entry's inputs: an input column, else a step, else a
        field (a field may share its input's name: "language" from "language")."""
        if name in INPUT_BY_NAME:
            return self._kept(("input", name), lambda: _read(self.table, name))
        if name in _STEPS:
            step = _STEPS[name]
            return self._kept(("step", name), lambda: step.fn(*map(self.value, step.inputs)))
        return self.field(name)

    def field(self, name: str) -> Any:
        """The value of the field ``name``."""
        return self._kept(("field", name), lambda: self._derive(_FIELDS[name]))

    def numbers(self, name: str) -> Singles:
        """A numeric field as float32 values (the matrix's precision), NaN where missing."""
        values: Singles = np.asarray(self.field(name), dtype=np.float32)
        return values

    def _kept(self, key: tuple[str, str], compute: Callable[[], Any]) -> Any:
        if key not in self._values:
            self._values[key] = compute()
        return self._values[key]

    def _derive(self, entry: Entry) -> Any:
        if isinstance(entry, Field):
            return entry.fn(*map(self.value, entry.inputs))
        return self._learnt(entry)

    def _learnt(self, entry: PlayCount | Shares) -> Any:
        if self.fitted is None:
            raise EncoreError(f"features: {entry.name} needs a fitted processor")
        key: Coded = self.field(entry.key)
        vocabulary = self.fitted.vocabularies[entry.key]
        if isinstance(entry, PlayCount):
            return np.log1p(vocabulary.training_counts(key).astype(np.float32))
        return self.fitted.shares[entry.name].columns(vocabulary.positions(key))


def _read(table: pd.DataFrame, name: str) -> Coded | Floats:
    if INPUT_BY_NAME[name].kind == "text":
        return coded_text(table[name])
    return _floats(table, name)


def _floats(table: pd.DataFrame, name: str) -> Floats:
    column = table[name]
    if pd.api.types.is_float_dtype(column.dtype):
        return np.asarray(column, dtype=np.float64)
    numbers = pd.to_numeric(column.astype(object), errors="coerce")
    garbage = numbers.isna() & column.notna()
    if garbage.any():
        row = garbage.idxmax()
        raise EncoreError(f"features: column {name!r}, row {row}: {column[row]!r} is not a number")
    return np.asarray(numbers, dtype=np.float64)
