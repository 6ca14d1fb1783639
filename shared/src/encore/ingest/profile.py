"""The data profile `encore inspect` shows: sizes, overlaps, join coverage, gaps, target rate.

Shares are fractions in [0, 1]. A figure that needs an absent file is None.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd

from encore.ingest.dataset import Dataset
from encore.ingest.keys import distinct_values, found
from encore.schema import EXTRA, INPUT_SPECS, MEMBERS, SONGS, SPECS, TEST, TRAIN

# (side table, key) for each join coverage figure, as they appear in the profile.
_JOINS = ((SONGS, "song_id"), (EXTRA, "song_id"), (MEMBERS, "msno"))


def profile(dataset: Dataset) -> dict[str, Any]:
    """A JSON-ready summary of a data folder."""
    return {
        "files": {spec.filename: _file_profile(dataset, spec.table) for spec in INPUT_SPECS},
        "users": _distinct(dataset, "msno"),
        "songs": _distinct(dataset, "song_id"),
        "join_coverage": {TRAIN: _coverage(dataset, TRAIN), TEST: _coverage(dataset, TEST)},
        "test_cold_start": _cold_start(dataset),
        "target_rate": _target_rate(dataset),
    }


def present_table(dataset: Dataset, name: str) -> pd.DataFrame | None:
    """The table as read, or None if its file was absent."""
    if name not in dataset.present:
        return None
    frames = {TRAIN: dataset.train, TEST: dataset.test, SONGS: dataset.songs}
    frames |= {MEMBERS: dataset.members, EXTRA: dataset.extra}
    return frames[name]


def _file_profile(dataset: Dataset, name: str) -> dict[str, Any] | None:
    frame = present_table(dataset, name)
    if frame is None:
        return None
    missing = frame.isna().mean()
    return {"records": len(frame), "missing": {str(k): float(v) for k, v in missing.items()}}


def _distinct(dataset: Dataset, key: str) -> dict[str, int | None]:
    values = {name: _values(dataset, name, key) for name in (TRAIN, TEST)}
    present = [v for v in values.values() if v is not None]
    counts = {name: None if v is None else len(v) for name, v in values.items()}
    counts["all"] = len(functools.reduce(pd.Index.union, present)) if present else None
    return counts


def _values(dataset: Dataset, name: str, key: str) -> pd.Index | None:
    frame = present_table(dataset, name)
    return None if frame is None else distinct_values(frame[key])


def _coverage(dataset: Dataset, plays_name: str) -> dict[str, float | None] | None:
    plays = present_table(dataset, plays_name)
    if plays is None:
        return None
    return {
        SPECS[side].filename: _share_found(plays[key], present_table(dataset, side), key)
        for side, key in _JOINS
    }


def _share_found(keys: pd.Series, side: pd.DataFrame | None, key: str) -> float | None:
    if side is None or len(keys) == 0:
        return None
    return float(found(keys, side[key]).mean())


def _cold_start(dataset: Dataset) -> dict[str, float | None] | None:
    train, test = present_table(dataset, TRAIN), present_table(dataset, TEST)
    if train is None or test is None:
        return None
    return {
        "user_unseen_in_train": float(1.0 - found(test["msno"], train["msno"]).mean()),
        "song_unseen_in_train": float(1.0 - found(test["song_id"], train["song_id"]).mean()),
    }


def _target_rate(dataset: Dataset) -> float | None:
    train = present_table(dataset, TRAIN)
    return None if train is None else float(train["target"].mean())
