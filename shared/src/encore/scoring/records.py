"""Rows given as dictionaries (the API's requests) as a consolidated frame."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from encore.schema import JOINED_FIELDS, JOINED_NUMBER_COLUMNS, PLAY_CATEGORY_COLUMNS

COLUMNS = (*PLAY_CATEGORY_COLUMNS, *JOINED_FIELDS)


def records_frame(records: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The frame `encore.ingest.consolidate` would give for these rows: text as objects
    (None where missing), numbers as float64 (NaN where missing)."""
    frame = pd.DataFrame.from_records(list(records), columns=list(COLUMNS))
    for name in JOINED_NUMBER_COLUMNS:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(np.float64)
    return frame
