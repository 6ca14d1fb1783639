"""Rows to features with a version's catalogue: the one path of every scoring route.

For each part of a row (play, song, member) the part is read from the catalogue when the
row's key is there and every column the row gives for that part equals the catalogue's (a
column it leaves out is the catalogue's by definition). A song or listener that is not in
the catalogue and brings no columns gets the stored part of such a one. Every other part
(new source combinations; columns that differ from the catalogue's, with the columns the row
leaves out filled in from it) is derived, once per distinct part of the batch, by the
processor: the functions that coded the catalogue.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from encore.catalogue.columns import Columns
from encore.catalogue.lookup import Catalogue, PartTable
from encore.catalogue.store import stored_columns
from encore.features import FeatureMatrix, FeatureProcessor, PartArrays, gather
from encore.features.rows import group
from encore.features.spec import KEYS, PARTS, Part, inputs_of

Positions = npt.NDArray[np.intp]
Mask = npt.NDArray[np.bool_]


class Resolver:
    def __init__(self, processor: FeatureProcessor, catalogue: Catalogue) -> None:
        self.processor = processor
        self.catalogue = catalogue

    def matrix(self, columns: Columns) -> FeatureMatrix:
        """The feature matrix of the rows, in their order."""
        parts, at = {}, {}
        for part in PARTS:
            parts[part], at[part] = self._part(part, columns)
        return gather(parts, at)

    def _part(self, part: Part, columns: Columns) -> tuple[PartArrays, Positions]:
        table = self.catalogue.parts[part]
        rows = table.positions([columns.text(name) for name in KEYS[part]])
        own = rows < 0 if part == "play" else _differs(table, columns, rows)
        if own is None or not own.any():
            return table.arrays, rows
        derived, derived_at = self._derive(part, table, columns, rows, own)
        kept = rows[~own]
        at = np.empty(columns.length, dtype=np.intp)
        at[~own] = np.arange(len(kept))
        at[own] = len(kept) + derived_at
        return PartArrays.stack([table.arrays.take(kept), derived]), at

    def _derive(
        self, part: Part, table: PartTable, columns: Columns, rows: Positions, own: Mask
    ) -> tuple[PartArrays, Positions]:
        """The parts of the ``own`` rows, each distinct one derived once."""
        which = np.flatnonzero(own)
        frame = pd.DataFrame({name: _objects(columns.text(name))[which] for name in KEYS[part]})
        for name in stored_columns(part) if part != "play" else ():
            given = columns.array(name)
            filled = table.values(name, rows[which])
            if given is not None:
                present = pd.notna(given[which])
                filled = np.where(present, given[which], filled)
            frame[name] = filled
        frame = frame[list(inputs_of(part))]
        first, groups = group(frame, frame.columns)
        return self.processor.part(part, frame.iloc[first].reset_index(drop=True)), groups


def _differs(table: PartTable, columns: Columns, rows: Positions) -> Mask | None:
    """Rows that give a column of the part whose value is not the catalogue's (None: the
    batch gives none of the part's columns)."""
    differs = None
    if not columns.gives_any(stored_columns(table.part)):
        return differs
    for name in stored_columns(table.part):
        given = columns.array(name)
        if given is None:
            continue
        present = pd.notna(given)
        if present.any():
            found = present & ~table.same(name, given, rows)
            differs = found if differs is None else differs | found
    return differs


def _objects(values: Sequence[object]) -> npt.NDArray[np.object_]:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array
