"""Ids (song_id, msno) to table rows, through a sorted array that can stay on disk.

A Python dict of 2.3 million song ids would hold about 300 MB in every API process; the
sorted array of their UTF-8 bytes is memory-mapped, and a batch of ids is found by binary
search in one numpy call. The table is stored in this order, so an id's position is its row.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

Positions = npt.NDArray[np.intp]
Mask = npt.NDArray[np.bool_]
# Up to this many ids are found one by one: cheaper than the array calls for a few.
FEW = 8


def sorted_ids(ids: pd.Index) -> npt.NDArray[np.object_]:
    """Ids in the order of their UTF-8 bytes (which is the order of their code points, the
    order Python compares strings in)."""
    ordered: npt.NDArray[np.object_] = np.sort(ids.to_numpy(dtype=object))
    return ordered


def key_array(ids: Sequence[str]) -> npt.NDArray[np.bytes_]:
    """The sorted ids as a fixed-width bytes array (what ``KeyIndex`` searches)."""
    encoded = [value.encode("utf-8") for value in ids]
    width = max((len(item) for item in encoded), default=1)
    return np.array(encoded, dtype=f"S{max(width, 1)}")


class KeyIndex:
    def __init__(self, keys: npt.NDArray[np.bytes_]) -> None:
        self.keys = keys
        self.width = keys.dtype.itemsize

    def __len__(self) -> int:
        return len(self.keys)

    def positions(self, ids: Sequence[object]) -> Positions:
        """Each id's row, -1 where it is not in the table (or is not text)."""
        if not len(self.keys):
            return np.full(len(ids), -1, dtype=np.intp)
        if len(ids) <= FEW:
            return np.array([self._position(value) for value in ids], dtype=np.intp)
        needles, exact = self._needles(ids)
        found = np.searchsorted(self.keys, needles).astype(np.intp)
        np.minimum(found, len(self.keys) - 1, out=found)
        return np.where((self.keys[found] == needles) & exact, found, -1)

    def _position(self, value: object) -> int:
        """``positions`` of one id, with scalar calls (for a batch of a few rows)."""
        if type(value) is not str:
            return -1
        needle = value.encode("utf-8")
        if not 0 < len(needle) <= self.width or needle.endswith(b"\0"):
            return -1
        at = int(self.keys.searchsorted(needle))
        return at if at < len(self.keys) and self.keys[at] == needle else -1

    def _needles(self, ids: Sequence[object]) -> tuple[npt.NDArray[np.bytes_], Mask]:
        """The ids as the keys' bytes, and where that is exact: fixed-width bytes drop
        trailing NULs and cut what does not fit."""
        if all(type(value) is str for value in ids):
            joined = "".join(ids)  # type: ignore[arg-type]
            fits = max(map(len, ids), default=0) <= self.width  # type: ignore[arg-type]
            if joined.isascii() and "\0" not in joined and fits:  # KKBOX's ids: one numpy call
                return np.array(ids, dtype=self.keys.dtype), np.ones(len(ids), dtype=bool)
        encoded = [value.encode("utf-8") if isinstance(value, str) else b"" for value in ids]
        exact = [0 < len(item) <= self.width and not item.endswith(b"\0") for item in encoded]
        return np.array(encoded, dtype=self.keys.dtype), np.array(exact, dtype=bool)
