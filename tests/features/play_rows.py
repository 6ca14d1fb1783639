"""Hand-made consolidated frames (see encore.ingest.consolidate for the contract)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from encore.schema import (
    JOINED_CATEGORY_COLUMNS,
    JOINED_NUMBER_COLUMNS,
    PLAY_CATEGORY_COLUMNS,
)

CATEGORY_COLUMNS = (*PLAY_CATEGORY_COLUMNS, *JOINED_CATEGORY_COLUMNS)
FLOAT_COLUMNS = JOINED_NUMBER_COLUMNS
DEFAULTS: dict[str, Any] = {
    "msno": "user-a",
    "song_id": "song-a",
    "source_system_tab": "my library",
    "source_screen_name": "Local playlist more",
    "source_type": "local-library",
    "target": 1,
    "song_length": 234_000.0,
    "genre_ids": "465",
    "artist_name": "Artist",
    "composer": "Composer",
    "lyricist": "Lyricist",
    "language": 3.0,
    "name": "Song",
    "isrc": "TWA530887303",
    "city": 1.0,
    "bd": 27.0,
    "gender": "female",
    "registered_via": 7.0,
    "registration_init_time": 20150101.0,
    "expiration_date": 20170101.0,
}


def plays(*rows: dict[str, Any]) -> pd.DataFrame:
    """A consolidated train frame: every row is DEFAULTS updated by the given fields."""
    frame = pd.DataFrame([{**DEFAULTS, **row} for row in rows])
    for name in CATEGORY_COLUMNS:
        frame[name] = frame[name].astype("category")
    for name in FLOAT_COLUMNS:
        frame[name] = frame[name].astype(np.float64)
    frame["target"] = frame["target"].astype(np.int8)
    return frame
