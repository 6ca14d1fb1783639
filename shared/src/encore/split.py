"""Train/validation splits of the consolidated training plays.

KKBOX train.csv is in time order, so the default split validates on the last rows: a random split
lets a model see the future of the same listening sessions and overstates its quality.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from encore.errors import EncoreError


def _check_fraction(valid_fraction: float, rows: int) -> int:
    if not 0.0 < valid_fraction < 1.0:
        raise EncoreError(f"validation fraction must be between 0 and 1, got {valid_fraction}")
    valid_rows = round(rows * valid_fraction)
    if valid_rows == 0 or valid_rows == rows:
        raise EncoreError(
            f"{rows} rows are too few to split {valid_fraction:.0%} off for validation"
        )
    return valid_rows


def chronological(
    plays: pd.DataFrame, valid_fraction: float = 0.2
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The first rows train, the last `valid_fraction` of rows validate."""
    cut = len(plays) - _check_fraction(valid_fraction, len(plays))
    return plays.iloc[:cut].reset_index(drop=True), plays.iloc[cut:].reset_index(drop=True)


def random(
    plays: pd.DataFrame, valid_fraction: float = 0.2, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The original report's seeded random 4:1 split (kept for comparison; it leaks time)."""
    valid_rows = _check_fraction(valid_fraction, len(plays))
    order = np.random.default_rng(seed).permutation(len(plays))
    is_valid = np.zeros(len(plays), dtype=bool)
    is_valid[order[:valid_rows]] = True
    return (
        plays[~is_valid].reset_index(drop=True),
        plays[is_valid].reset_index(drop=True),
    )
