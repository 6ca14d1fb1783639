"""A loaded catalogue: per part, its rows' input columns and coded parts, found by key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from encore.catalogue.keys import KeyIndex, Positions
from encore.catalogue.recommend import Recommendations
from encore.catalogue.strings import StringColumn, hash_texts
from encore.features import PartArrays
from encore.features.spec import Part

Floats = npt.NDArray[np.float64]
Column = StringColumn | Floats


@dataclass(frozen=True)
class PartTable:
    """``arrays`` has a row per table row and, for songs and listeners, one more, last: the
    part of one not in the table with no columns of its own. So a table position indexes
    ``arrays`` as it is: -1 (not in the table) reads that last row, with no remapping."""

    part: Part
    columns: dict[str, Column]  # the part's input columns, its key column aside
    arrays: PartArrays
    keys: KeyIndex | None  # song, member: the sorted ids, one per row
    combos: dict[tuple[Any, ...], int] | None  # play: the source values of each row

    def positions(self, keys: list[Sequence[Any]]) -> Positions:
        """Each row's position in the table from its key columns, -1 where absent."""
        if self.keys is not None:
            return self.keys.positions(keys[0])
        assert self.combos is not None
        found = (self.combos.get(combo, -1) for combo in zip(*keys, strict=True))
        return np.fromiter(found, dtype=np.intp, count=len(keys[0]))

    def same(self, name: str, values: npt.NDArray[Any], rows: Positions) -> npt.NDArray[np.bool_]:
        """Where ``values`` equal the table's value of ``name`` at ``rows`` (a missing value
        and row -1 equal nothing)."""
        column = self.columns[name]
        if isinstance(column, StringColumn):
            stored, present = column.hashes_at(rows)
            given = values != None  # noqa: E711 (elementwise over an object array)
            equal = np.zeros(len(rows), dtype=bool)
            equal[given] = hash_texts(values[given]) == stored[given]
            return equal & present
        same: npt.NDArray[np.bool_] = self.values(name, rows) == values
        return same

    def values(self, name: str, rows: Positions) -> npt.NDArray[Any]:
        """The table's values of ``name`` at ``rows`` (missing: None or NaN; row -1 too)."""
        column = self.columns[name]
        if isinstance(column, StringColumn):
            return column.values_at(rows)
        return np.where(rows >= 0, column[np.maximum(rows, 0)], np.nan)


@dataclass(frozen=True)
class Catalogue:
    parts: dict[Part, PartTable]
    recommendations: Recommendations

    def knows(self, part: Part, key: str) -> bool:
        table = self.parts[part]
        return bool(table.positions([[key]])[0] >= 0)
