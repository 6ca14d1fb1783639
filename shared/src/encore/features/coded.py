"""A column as integer codes into its distinct values, so string work runs once per value.

Millions of plays share a few hundred thousand songs and a few thousand artists: every
derived text field is computed over the distinct values and mapped back to rows by code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

Codes = npt.NDArray[np.int32]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Singles = npt.NDArray[np.float32]
Reals = npt.NDArray[np.floating[Any]]
Scalar = TypeVar("Scalar", bound=np.generic)


@dataclass(frozen=True)
class Coded:
    """Row codes (-1 = missing) into ``values``, an index of distinct, non-missing values."""

    codes: Codes
    values: pd.Index

    def series(self) -> pd.Series:
        """The distinct values as a series indexed 0..n-1, ready for ``.str`` work."""
        return pd.Series(self.values, dtype=self.values.dtype)

    def recode(self, per_value: pd.Series) -> Coded:
        """The column whose rows hold ``per_value[code]``; missing results stay missing."""
        value_codes, uniques = pd.factorize(per_value.to_numpy())
        return Coded(self.per_row(value_codes.astype(np.int32), -1), pd.Index(uniques))

    def map(self, func: Callable[[pd.Series], pd.Series]) -> Coded:
        """Apply a vectorised function to the distinct values."""
        return self.recode(func(self.series()))

    def per_row(self, per_value: npt.NDArray[Scalar], missing: object) -> npt.NDArray[Scalar]:
        """Spread one result per distinct value over the rows; missing rows get ``missing``."""
        # Code -1 picks the appended last element.
        return np.append(per_value, np.array([missing], dtype=per_value.dtype))[self.codes]

    def numbers(self, func: Callable[[pd.Series], pd.Series]) -> Floats:
        """A float per row from a per-value function; missing rows are NaN."""
        per_value = func(self.series())
        return self.per_row(np.asarray(per_value, dtype=np.float64), np.nan)

    def flags(self, func: Callable[[pd.Series], pd.Series]) -> Bools:
        """A bool per row from a per-value predicate; missing rows are False."""
        per_value = func(self.series())
        return self.per_row(np.asarray(per_value, dtype=np.bool_), False)


def coded_text(column: pd.Series) -> Coded:
    """Code a text column, using its categories when it is a category column."""
    if isinstance(column.dtype, pd.CategoricalDtype) and _categories_are_few(column):
        values = column.cat.categories
        codes = column.cat.codes.to_numpy().astype(np.int32)
        return _used_only(codes, values.astype(str) if values.dtype != "str" else values)
    codes, uniques = pd.factorize(np.asarray(column, dtype=object))
    return Coded(codes.astype(np.int32), pd.Index(uniques, dtype="str"))


def coded_numbers(values: Floats) -> Coded:
    """Code a float column (NaN = missing) with integral values as tokens like "31" or "-1"."""
    codes, uniques = pd.factorize(values)
    return Coded(codes.astype(np.int32), pd.Index([number_token(v) for v in uniques], dtype="str"))


def same_value(left: Coded, right: Coded) -> Bools:
    """Row-wise equality of two coded columns; a missing value equals nothing, not even missing."""
    in_right = right.values.get_indexer(left.values)
    in_right[in_right < 0] = -2  # absent from right: must not match right's missing code -1
    same: Bools = left.per_row(in_right, -2) == right.codes
    return same


def _categories_are_few(column: pd.Series) -> bool:
    # Joined columns carry every category of their side table (2.3 million songs): a frame
    # with fewer rows than that is coded by its own values instead.
    return len(column.cat.categories) <= len(column)


def _used_only(codes: Codes, values: pd.Index) -> Coded:
    """Drop the categories no row uses, so string work skips them."""
    used = np.bincount(codes[codes >= 0], minlength=len(values)) > 0
    new_codes = (np.cumsum(used) - 1).astype(np.int32)
    return Coded(np.append(new_codes, np.int32(-1))[codes], values[used])


def number_token(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
