"""What recommendation candidates are made of: the plays they come from, a listener's pool,
and the names of their sources (computed in catalogue/candidates.py)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from encore.catalogue.ragged import Ragged

Ints = npt.NDArray[np.int32]
# Songs kept per listener: the largest k a request may ask for.
POOL = 500
SOURCES = ("co-listening", "artist", "taste", "popularity", "profile", "played", "given")
COLISTENING, ARTIST, TASTE, POPULARITY, PROFILE, PLAYED, GIVEN = range(len(SOURCES))


@dataclass(frozen=True)
class Plays:
    """The training plays as rows of the catalogue's tables."""

    listener: Ints  # per play, its row in the member table
    song: Ints  # per play, its row in the song table
    listeners: int  # rows of the member table
    songs: int  # rows of the song table
    replayed: npt.NDArray[np.bool_] | None = None  # per play, its target (None: not known)


@dataclass(frozen=True)
class Pools:
    """Per member row, the candidate songs (song table rows), scores and sources."""

    songs: Ragged
    scores: npt.NDArray[np.float32]
    sources: npt.NDArray[np.uint8]
