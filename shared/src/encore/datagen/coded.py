"""Text columns stored as distinct values plus one integer code per row (-1 = empty field).

Names repeat a lot across songs, so building and escaping each distinct string once and then
gathering by code is far cheaper than handling millions of Python or numpy strings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from encore.datagen.names import SCRIPTS, TEXT


@dataclass(frozen=True)
class Coded:
    """A text column: distinct values and, per row, the index of its value."""

    vocab: np.ndarray  # StringDType (or bytes) distinct values
    codes: np.ndarray  # int64 per row, index into vocab; -1 for an empty field

    def blank_where(self, mask: np.ndarray) -> Coded:
        """The same column with the rows in `mask` left empty."""
        return Coded(self.vocab, np.where(mask, -1, self.codes))


def covering_draw(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """n codes in [0, size), every code used at least once when n >= size."""
    codes = rng.integers(0, size, size=n)
    covered = min(n, size)
    codes[rng.permutation(n)[:covered]] = rng.permutation(size)[:covered]
    return codes


def coded_by_script(
    rng: np.random.Generator,
    scripts: np.ndarray,
    make: Callable[[np.ndarray], np.ndarray],
    rows_per_value: int,
) -> Coded:
    """One value per row, drawn from a per-script set of about n/rows_per_value made values."""
    codes = np.full(scripts.size, -1, dtype=np.int64)
    parts, offset = [], 0
    for script in SCRIPTS:
        rows = np.flatnonzero(scripts == script)
        if rows.size == 0:
            continue
        size = max(1, -(-rows.size // rows_per_value))
        parts.append(make(np.full(size, script)))
        codes[rows] = offset + covering_draw(rng, rows.size, size)
        offset += size
    return Coded(np.concatenate(parts).astype(TEXT), codes)
