"""Train/validation splits of the training plays, as row positions.

KKBOX train.csv is in time order, so the default split validates on the last rows: a random split
lets a model see the future of the same listening sessions and overstates its quality.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from encore.errors import EncoreError

Positions = npt.NDArray[np.intp]


def _check_fraction(valid_fraction: float, rows: int) -> int:
    if not 0.0 < valid_fraction < 1.0:
        raise EncoreError(f"validation fraction must be between 0 and 1, got {valid_fraction}")
    valid_rows = round(rows * valid_fraction)
    if valid_rows == 0 or valid_rows == rows:
        raise EncoreError(
            f"{rows} rows are too few to split {valid_fraction:.0%} off for validation"
        )
    return valid_rows


def chronological(rows: int, valid_fraction: float = 0.2) -> tuple[Positions, Positions]:
    """The first rows train, the last `valid_fraction` of rows validate."""
    cut = rows - _check_fraction(valid_fraction, rows)
    return np.arange(cut, dtype=np.intp), np.arange(cut, rows, dtype=np.intp)


def random(rows: int, valid_fraction: float = 0.2, seed: int = 0) -> tuple[Positions, Positions]:
    """The original report's seeded random 4:1 split (kept for comparison; it leaks time).
    Each side keeps the rows' order."""
    valid_rows = _check_fraction(valid_fraction, rows)
    order = np.random.default_rng(seed).permutation(rows)
    is_valid = np.zeros(rows, dtype=bool)
    is_valid[order[:valid_rows]] = True
    return np.flatnonzero(~is_valid).astype(np.intp), np.flatnonzero(is_valid).astype(np.intp)
