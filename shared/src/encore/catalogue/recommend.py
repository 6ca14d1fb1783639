"""A version's recommendation candidates, loaded: who gets which songs to choose from.

Built when the version is written (catalogue/candidates.py, catalogue/profiles.py) and
memory-mapped: a request reads one listener's pool, a few hundred entries.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from encore.catalogue.pools import PLAYED, POPULARITY, PROFILE, Pools
from encore.catalogue.profiles import EVERYONE, ProfileLists
from encore.catalogue.ragged import Ragged

Ints = npt.NDArray[np.int32]


@dataclass(frozen=True)
class Candidates:
    """Songs to rank (song table rows), their candidate scores (1: the best) and sources."""

    songs: Ints
    scores: npt.NDArray[np.float32]
    sources: npt.NDArray[np.uint8]

    def __len__(self) -> int:
        return len(self.songs)


@dataclass(frozen=True)
class Recommendations:
    pools: Pools  # per member row
    history: Ragged  # per member row, the song rows of its training plays
    profiles: ProfileLists

    def candidates(
        self, member: int, profile: tuple[int, int], include_played: bool = False
    ) -> Candidates:
        """The pool of a member row (-1: not in the catalogue); the profile's list
        (``profile``: its key and its city's; else everyone's, as popularity) when the
        member has no pool; with the member's training songs first when ``include_played``."""
        found = self._pool(member) if member >= 0 else None
        if found is None:
            at = self.profiles.best(*profile)
            span = self.profiles.songs.span(at)
            songs = np.asarray(self.profiles.songs.values[span])
            scores = np.asarray(self.profiles.scores[span])
            source = POPULARITY if self.profiles.keys[at] == EVERYONE else PROFILE
            found = Candidates(songs, scores, np.full(len(songs), source, dtype=np.uint8))
        if include_played and member >= 0:
            found = _with_played(found, np.asarray(self.history.row(member)))
        return found

    def played(self, member: int) -> Ints:
        """The song rows a member row played in training (none for -1)."""
        return np.asarray(self.history.row(member)) if member >= 0 else np.zeros(0, np.int32)

    def _pool(self, member: int) -> Candidates | None:
        if member >= len(self.pools.songs):
            return None
        span = self.pools.songs.span(member)
        if span.start == span.stop:
            return None
        return Candidates(
            np.asarray(self.pools.songs.values[span]),
            np.asarray(self.pools.scores[span]),
            np.asarray(self.pools.sources[span]),
        )


def _with_played(found: Candidates, played: Ints) -> Candidates:
    """The played songs (candidate score 1) before the others, none twice."""
    others = ~np.isin(found.songs, played)
    return Candidates(
        np.concatenate([played, found.songs[others]]).astype(np.int32),
        np.concatenate([np.ones(len(played), np.float32), found.scores[others]]),
        np.concatenate([np.full(len(played), PLAYED, np.uint8), found.sources[others]]),
    )
