"""One row per play, with its song's, its song's extra info and its listener's columns."""

from __future__ import annotations

import numpy as np
import pandas as pd

from encore.ingest.dataset import Dataset
from encore.ingest.keys import first_rows
from encore.schema import EXTRA_FIELDS, MEMBER_FIELDS, SONG_FIELDS


def consolidate(plays: pd.DataFrame, dataset: Dataset) -> pd.DataFrame:
    """Left-join train or test rows to songs, song_extra_info and members.

    Keeps the plays' order, with index 0..n-1. Text columns stay categories (with the side
    table's categories, so train and test share them); numbers become float64. A play whose
    song or listener is not found gets NaN in every joined column. Where a side table repeats
    a song_id or msno, its first row is used.
    """
    plays = plays.reset_index(drop=True)
    joined = [
        _joined_columns(plays["song_id"], dataset.songs, "song_id", SONG_FIELDS),
        _joined_columns(plays["song_id"], dataset.extra, "song_id", EXTRA_FIELDS),
        _joined_columns(plays["msno"], dataset.members, "msno", MEMBER_FIELDS),
    ]
    return pd.concat([plays, *joined], axis=1)


def _joined_columns(
    keys: pd.Series, table: pd.DataFrame, key: str, fields: tuple[str, ...]
) -> pd.DataFrame:
    rows = first_rows(keys, table[key])
    return pd.DataFrame({field: column_at(table[field], rows) for field in fields})


def column_at(column: pd.Series, rows: np.ndarray) -> pd.Categorical | np.ndarray:
    """The column's values at ``rows``; row -1 (no match) gives NaN."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = np.append(column.cat.codes.to_numpy(), -1)[rows]
        return pd.Categorical.from_codes(codes, dtype=column.dtype)
    values: np.ndarray = np.append(column.to_numpy(dtype=np.float64), np.nan)[rows]
    return values
