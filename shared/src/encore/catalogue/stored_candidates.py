"""Writing a version's recommendation candidates and reading them back, memory-mapped.

Under ``catalogue/recommend/``: ``pool.*`` (per member row its candidate songs, scores and
sources), ``history.*`` (per member row the songs it played in training) and ``profiles.*``
(the most played songs per member profile), each ragged array as ``.offsets.npy`` and its
values; ``mix.json``, the candidate score's weights chosen for the plays
(catalogue/mix.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from encore.catalogue.keys import KeyIndex
from encore.catalogue.pools import POOL, Plays, Pools
from encore.catalogue.profiles import EVERYONE, ProfileLists, build_profiles
from encore.catalogue.ragged import Ragged
from encore.catalogue.recommend import Recommendations

if TYPE_CHECKING:
    from encore.catalogue.mix import Choice

RECOMMEND_DIR = "recommend"
FILES = (
    "pool.offsets", "pool.songs", "pool.scores", "pool.sources",
    "history.offsets", "history.songs",
    "profiles.keys", "profiles.offsets", "profiles.songs", "profiles.scores",
)  # fmt: skip
# Not read back when serving: the pools already hold the scores.
MIX = "mix.json"
Load = Callable[[str], npt.NDArray[Any]]


def candidate_arrays(plays: Plays, songs: pd.DataFrame, members: pd.DataFrame) -> dict[str, Any]:
    """Every array of ``FILES``, computed from the training plays."""
    return _candidates(plays, songs, members)[1]


def _candidates(plays: Plays, songs: pd.DataFrame, members: pd.DataFrame
                ) -> tuple[Choice, dict[str, Any]]:  # fmt: skip
    """The candidate score's weights chosen for the plays, and every array of ``FILES``."""
    # scipy: only where versions are written
    from encore.catalogue.candidates import listener_pools
    from encore.catalogue.mix import chosen_weights

    choice = chosen_weights(plays, songs)
    pools = listener_pools(plays, songs, choice.weights)
    heard = np.unique(plays.listener.astype(np.int64) * plays.songs + plays.song)
    history = Ragged.of_groups((heard // plays.songs).astype(np.intp),
                               (heard % plays.songs).astype(np.int32), plays.listeners)  # fmt: skip
    profiles = build_profiles(plays.song, plays.listener, members, POOL)
    return choice, {
        "pool.offsets": pools.songs.offsets, "pool.songs": pools.songs.values,
        "pool.scores": pools.scores, "pool.sources": pools.sources,
        "history.offsets": history.offsets, "history.songs": history.values,
        "profiles.keys": profiles.keys, "profiles.offsets": profiles.songs.offsets,
        "profiles.songs": profiles.songs.values, "profiles.scores": profiles.scores,
    }  # fmt: skip


def write_candidates(root: Path, plays: Plays, songs: pd.DataFrame, members: pd.DataFrame
                     ) -> list[str]:  # fmt: skip
    """Write the arrays under ``root/recommend/``, and ``MIX`` (the candidate score's
    weights, chosen for these plays, with the figures they were chosen by); returns their
    paths relative to root."""
    folder = root / RECOMMEND_DIR
    folder.mkdir()
    choice, arrays = _candidates(plays, songs, members)
    (folder / MIX).write_text(json.dumps(choice.as_dict(), indent=2), encoding="utf-8")
    written = [f"{RECOMMEND_DIR}/{MIX}"]
    for name, array in arrays.items():
        np.save(folder / f"{name}.npy", array, allow_pickle=False)
        written.append(f"{RECOMMEND_DIR}/{name}.npy")
    return written


def popularity_only(popular: pd.DataFrame, songs: KeyIndex, members: int) -> Recommendations:
    """The candidates of a version written before they were stored (its ``popular.csv``:
    the most played songs): that list for everyone, no listener's own pool or history."""
    rows = songs.positions(popular["song_id"].astype(str).tolist())
    plays = popular["plays"].to_numpy(dtype=np.float32)[rows >= 0]
    listed = rows[rows >= 0].astype(np.int32)
    nobody = Ragged(np.zeros(members + 1, dtype=np.int64), np.zeros(0, dtype=np.int32))
    profiles = ProfileLists(np.array([EVERYONE], dtype=np.int64),
                            Ragged(np.array([0, len(listed)], dtype=np.int64), listed),
                            plays / max(float(plays.max(initial=0.0)), 1.0))  # fmt: skip
    empty = Pools(nobody, np.zeros(0, np.float32), np.zeros(0, np.uint8))
    return Recommendations(empty, nobody, profiles)


def read_candidates(load: Load) -> Recommendations:
    """The candidates, each array from ``load(name)`` (a memory-mapped array)."""

    def ragged(name: str, values: str) -> Ragged:
        return Ragged(load(f"{name}.offsets"), load(f"{name}.{values}"))

    pools = Pools(ragged("pool", "songs"), load("pool.scores"), load("pool.sources"))
    profiles = ProfileLists(load("profiles.keys"), ragged("profiles", "songs"),
                            load("profiles.scores"))  # fmt: skip
    return Recommendations(pools, ragged("history", "songs"), profiles)
