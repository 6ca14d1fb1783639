"""The most played songs per member profile: for listeners without training plays.

A profile is a city and an age band (members.csv's ``city`` and ``bd``); where a profile has
too few plays, the city alone; then everyone. The city stands for the language of a region:
its listeners' most played songs are mostly in the languages spoken there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from encore.catalogue.ragged import Ragged

Ints = npt.NDArray[np.int32]
Keys = npt.NDArray[np.int64]
# A profile (or a city) needs this many plays for its own list.
MIN_PLAYS = 50
EVERYONE = -1
_BANDS = 16  # age bands 0..6 (decades up to 69), 7 unknown, 15 any age
_UNKNOWN_AGE, _ANY_AGE = 7, 15


def profile_keys(city: npt.NDArray[np.float64], age: npt.NDArray[np.float64]) -> tuple[Keys, Keys]:
    """Each member's profile key and their city's key (missing city: city 0)."""
    town = np.where(np.isfinite(city), city, 0).clip(0, 1_000).astype(np.int64)
    known = np.isfinite(age) & (age > 0) & (age <= 100)
    band = np.where(known, np.minimum(np.where(known, age, 0), 69) // 10, _UNKNOWN_AGE)
    return town * _BANDS + band.astype(np.int64), town * _BANDS + _ANY_AGE


@dataclass(frozen=True)
class ProfileLists:
    keys: Keys  # sorted; EVERYONE for the list of all plays
    songs: Ragged  # per key, song table rows, most played first
    scores: npt.NDArray[np.float32]  # per listed song, its plays over the list's first

    def best(self, profile: int, city: int) -> int:
        """The index of the list to use for a member of this profile and city."""
        for key in (profile, city, EVERYONE):
            at = int(np.searchsorted(self.keys, key))
            if at < len(self.keys) and int(self.keys[at]) == key:
                return at
        raise LookupError("no list for everyone")  # built for every version


def build_profiles(
    play_song: Ints, play_listener: Ints, members: pd.DataFrame, size: int
) -> ProfileLists:
    """The lists of every profile and city with ``MIN_PLAYS`` plays, and everyone's."""
    profile, town = profile_keys(_numbers(members["city"]), _numbers(members["bd"]))
    everyone = np.full(len(members), EVERYONE, dtype=np.int64)
    lists = [_most_played(keys[play_listener], play_song, size) for keys in (profile, town)]
    lists.append(_most_played(everyone[play_listener], play_song, size, least=0))
    keys, songs, counts = (np.concatenate(part) for part in zip(*lists, strict=True))
    order = np.argsort(keys, kind="stable")  # each key's songs stay most played first
    keys, songs, counts = keys[order], songs[order], counts[order]
    listed, group = np.unique(keys, return_inverse=True)
    first = np.zeros(len(listed), dtype=np.float32)
    np.maximum.at(first, group, counts)
    return ProfileLists(
        listed.astype(np.int64),
        Ragged.of_groups(group, songs.astype(np.int32), len(listed)),
        (counts / first[group]).astype(np.float32),
    )


def _most_played(
    keys: Keys, songs: Ints, size: int, least: int = MIN_PLAYS
) -> tuple[Keys, Ints, npt.NDArray[np.float32]]:
    """Per key with ``least`` plays, its ``size`` most played songs (most played first, then
    by song row): keys, songs and play counts, key by key."""
    width = int(songs.max(initial=0)) + 1
    pairs, counts = np.unique(keys * width + songs, return_counts=True)
    key, song = pairs // width, pairs % width
    group = np.unique(key, return_inverse=True)[1]
    enough = (np.bincount(group, weights=counts) >= least)[group]
    key, song, counts = key[enough], song[enough], counts[enough]
    order = np.lexsort((song, -counts, key))
    key, song, counts = key[order], song[order], counts[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    rank = np.arange(len(key)) - np.repeat(starts, np.diff(np.r_[starts, len(key)]))
    kept = rank < size
    return key[kept], song[kept].astype(np.int32), counts[kept].astype(np.float32)


def _numbers(column: pd.Series) -> npt.NDArray[np.float64]:
    numbers: npt.NDArray[np.float64] = pd.to_numeric(column, errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    return numbers
