"""Fast lookups in a loaded catalogue: fields by id, and recommendation candidates."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from encore.catalogue.build import CatalogueTables
from encore.schema import EXTRA_FIELDS, MEMBER_FIELDS, SONG_FIELDS

SONG_SIDE = (*SONG_FIELDS, *EXTRA_FIELDS)


class Catalogue:
    """Built once per loaded version; every lookup is a dict access, no pandas."""

    def __init__(self, tables: CatalogueTables) -> None:
        self._songs = _Table(tables.songs, "song_id", SONG_SIDE)
        self._members = _Table(tables.members, "msno", MEMBER_FIELDS)
        self.popular: list[str] = [str(song) for song in tables.popular["song_id"]]
        self._popular_index = {song: i for i, song in enumerate(self.popular)}
        self._played = _played_keys(tables.played, self._members.position, self._popular_index)

    def knows_song(self, song_id: str) -> bool:
        return song_id in self._songs.position

    def knows_member(self, msno: str) -> bool:
        return msno in self._members.position

    def complete(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """The row with every joined field it leaves out (or sets to None) filled in."""
        filled = dict(row)
        self._songs.fill(filled, str(row["song_id"]))
        self._members.fill(filled, str(row["msno"]))
        return filled

    def unplayed_popular(self, msno: str, limit: int) -> list[str]:
        """The most played songs this listener has not played, most played first."""
        user = self._members.position.get(msno)
        chosen = []
        for index, song in enumerate(self.popular):
            if user is None or not self._has_played(user, index):
                chosen.append(song)
                if len(chosen) == limit:
                    break
        return chosen

    def _has_played(self, user: int, song_index: int) -> bool:
        key = user * len(self.popular) + song_index
        at = int(np.searchsorted(self._played, key))
        return at < len(self._played) and int(self._played[at]) == key


class _Table:
    def __init__(self, frame: pd.DataFrame, key: str, fields: tuple[str, ...]) -> None:
        self.position = {str(value): i for i, value in enumerate(frame[key])}
        self.columns = {
            field: [_plain(value) for value in frame[field].to_numpy(dtype=object)]
            for field in fields
        }

    def fill(self, row: dict[str, Any], key: str) -> None:
        at = self.position.get(key)
        for field, values in self.columns.items():
            if row.get(field) is None:
                row[field] = None if at is None else values[at]


def _plain(value: Any) -> Any:
    """None for missing (NaN or pd.NA), the value otherwise."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _played_keys(
    played: pd.DataFrame, users: Mapping[str, int], songs: Mapping[str, int]
) -> np.ndarray:
    """Sorted `user * len(songs) + song` keys: 8 bytes per pair, searched by bisection."""
    user_codes = played["msno"].map(users)
    song_codes = played["song_id"].map(songs)
    known = user_codes.notna() & song_codes.notna()
    keys = user_codes[known].to_numpy(np.int64) * len(songs) + song_codes[known].to_numpy(np.int64)
    return np.unique(keys)
