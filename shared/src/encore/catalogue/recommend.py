"""Recommendation candidates: the most played training songs, and who played each."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd


class Popular:
    """Built once per loaded version from the catalogue's popular and played tables."""

    def __init__(self, popular: pd.DataFrame, played: pd.DataFrame) -> None:
        self.songs: list[str] = [str(song) for song in popular["song_id"]]
        song_index = {song: i for i, song in enumerate(self.songs)}
        listeners, names = pd.factorize(played["msno"].astype(str))
        self._listener = {str(name): i for i, name in enumerate(names)}
        song_codes = played["song_id"].astype(str).map(song_index)
        known = song_codes.notna().to_numpy()
        keys = listeners[known].astype(np.int64) * len(self.songs) + song_codes[known].to_numpy(
            np.int64
        )
        self._played: npt.NDArray[np.int64] = np.unique(keys)

    def unplayed(self, msno: str, limit: int) -> list[str]:
        """The most played songs this listener has not played, most played first."""
        listener = self._listener.get(msno)
        chosen = []
        for index, song in enumerate(self.songs):
            if listener is None or not self._has_played(listener, index):
                chosen.append(song)
                if len(chosen) == limit:
                    break
        return chosen

    def _has_played(self, listener: int, song_index: int) -> bool:
        key = listener * len(self.songs) + song_index
        at = int(np.searchsorted(self._played, key))
        return at < len(self._played) and int(self._played[at]) == key
