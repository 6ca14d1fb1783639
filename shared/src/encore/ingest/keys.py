"""Matching categorical keys (msno, song_id) between tables through integer positions."""

from __future__ import annotations

import numpy as np
import pandas as pd

MISSING = -1


def first_rows(keys: pd.Series, table_keys: pd.Series) -> np.ndarray:
    """For each value of ``keys``: the position of its first row in ``table_keys``, or -1.

    String comparison runs once per distinct key (categories); the per-row work is integer
    indexing. A key repeated in ``table_keys`` matches its first row only.
    """
    keys, table_keys = _as_category(keys), _as_category(table_keys)
    first_row_of_table_code = _first_row_per_code(table_keys)
    table_code = table_keys.cat.categories.get_indexer(keys.cat.categories)
    row_of_key_code = first_row_of_table_code[table_code]  # code -1 hits the spare last slot
    # A trailing -1 makes the missing key code (-1) map to -1.
    rows: np.ndarray = np.append(row_of_key_code, MISSING)[keys.cat.codes.to_numpy()]
    return rows


def found(keys: pd.Series, table_keys: pd.Series) -> np.ndarray:
    """Whether each value of ``keys`` occurs in ``table_keys`` (boolean per row)."""
    result: np.ndarray = first_rows(keys, table_keys) >= 0
    return result


def distinct_values(keys: pd.Series) -> pd.Index:
    """The distinct non-missing values that really occur (not merely declared categories)."""
    keys = _as_category(keys)
    codes = keys.cat.codes.to_numpy()
    return keys.cat.categories[np.unique(codes[codes >= 0])]


def _first_row_per_code(keys: pd.Series) -> np.ndarray:
    """Per category code, the first row holding it (-1 if none), plus a spare -1 slot at the end."""
    codes = keys.cat.codes.to_numpy()
    row_of_code = np.full(len(keys.cat.categories) + 1, MISSING, dtype=np.int64)
    unique_codes, first_positions = np.unique(codes, return_index=True)
    row_of_code[unique_codes] = first_positions
    row_of_code[-1] = MISSING  # code -1 (a missing key) wrote here; it must stay unmatched
    return row_of_code


def _as_category(keys: pd.Series) -> pd.Series:
    return keys if isinstance(keys.dtype, pd.CategoricalDtype) else keys.astype("category")
