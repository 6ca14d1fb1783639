"""Plays as three tables of distinct parts and, per play, its row in each.

A part (play, song, member: see spec.py) depends only on its own input columns, so its
features are derived once per distinct combination of them, then gathered for every play.
Training builds ``Rows`` from the data set's catalogue (every song and listener once);
``rows_of`` builds them from any frame holding the joined columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from encore.errors import EncoreError
from encore.features.spec import PARTS, Part, inputs_of

Positions = npt.NDArray[np.intp]
# Combined group codes stay below this before they are renumbered, far from int64 overflow.
_RENUMBER_ABOVE = 1 << 40


@dataclass(frozen=True)
class Rows:
    """``tables[part]``: one row per distinct part; ``at[part][i]``: play i's row in it."""

    tables: Mapping[Part, pd.DataFrame]
    at: Mapping[Part, Positions]

    def __len__(self) -> int:
        return len(self.at["play"])

    def take(self, plays: Positions | slice) -> Rows:
        """The same tables for a subset of the plays."""
        return Rows(self.tables, {part: self.at[part][plays] for part in PARTS})


def rows_of(frame: pd.DataFrame) -> Rows:
    """Group a frame of joined plays (encore.ingest.consolidate's columns; a missing value is
    None, NaN or an empty category) into its distinct parts."""
    tables, at = {}, {}
    for part in PARTS:
        columns = list(inputs_of(part))
        lacking = [name for name in columns if name not in frame.columns]
        if lacking:
            raise EncoreError(f"features: the input lacks column(s) {', '.join(lacking)}")
        first, at[part] = group(frame, columns)
        tables[part] = frame[columns].iloc[first].reset_index(drop=True)
    return Rows(tables, at)


def group(frame: pd.DataFrame, columns: Sequence[str]) -> tuple[Positions, Positions]:
    """Rows with equal values in ``columns`` (all missing values alike): the first row of
    each group, in order of appearance, and each row's group."""
    combined = np.zeros(len(frame), dtype=np.int64)
    for name in columns:
        codes, uniques = pd.factorize(frame[name], use_na_sentinel=True)
        if combined.max(initial=0) * (len(uniques) + 1) >= _RENUMBER_ABOVE:
            combined = pd.factorize(combined)[0].astype(np.int64)
        combined = combined * (len(uniques) + 1) + (codes + 1)
    groups, _ = pd.factorize(combined)
    groups = groups.astype(np.intp)
    first = np.empty(int(groups.max(initial=-1)) + 1, dtype=np.intp)
    first[groups[::-1]] = np.arange(len(groups) - 1, -1, -1, dtype=np.intp)
    return first, groups
