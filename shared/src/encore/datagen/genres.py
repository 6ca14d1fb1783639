"""Genre ids and the pipe-joined genre_ids field ("465", "1609|2022", up to 8 ids)."""

from __future__ import annotations

import numpy as np

from encore.datagen.coded import Coded
from encore.datagen.names import TEXT, force_some

# The most common real genre ids, by song count in the sample, then rarer made-up ids.
_COMMON = (
    465,
    1609,
    2022,
    921,
    958,
    786,
    2122,
    1259,
    458,
    359,
    444,
    139,
    947,
    726,
    437,
    1152,
    451,
    873,
    940,
    109,
    1011,
    125,
    880,
    430,
    798,
)
_COMMON_COUNTS = (
    12513,
    1843,
    1683,
    1418,
    1276,
    1157,
    1126,
    1067,
    1003,
    750,
    716,
    690,
    578,
    563,
    538,
    454,
    317,
    274,
    268,
    252,
    229,
    222,
    155,
    151,
    149,
)
_RARE = tuple(range(2, 2200, 17))[:141]
GENRE_IDS = np.array(_COMMON + _RARE)
_GENRE_TEXT = GENRE_IDS.astype(str).astype(TEXT)
_GENRE_COUNT_SHARES = np.array([93.5, 5.0, 1.0, 0.4, 0.08, 0.01, 0.005, 0.005])
MISSING_RATE = 0.041


def genre_shares() -> np.ndarray:
    rare = 140.0 / np.arange(1, len(_RARE) + 1) ** 0.7
    weights = np.concatenate([np.asarray(_COMMON_COUNTS, dtype=float), rare])
    shares: np.ndarray = weights / weights.sum()
    return shares


def genre_lists(rng: np.random.Generator, main_genre: np.ndarray) -> Coded:
    """The genre_ids field: the main genre, sometimes more ids after it, 4.1% empty."""
    n = main_genre.size
    count = rng.choice(np.arange(1, 9), size=n, p=_GENRE_COUNT_SHARES / _GENRE_COUNT_SHARES.sum())
    count[rng.integers(0, n)] = 8
    several = np.flatnonzero(count > 1)
    text = _GENRE_TEXT[main_genre[several]]
    extra = rng.choice(GENRE_IDS.size, size=(several.size, 7), p=genre_shares())
    for j in range(7):
        joined = np.strings.add(np.strings.add(text, "|"), _GENRE_TEXT[extra[:, j]])
        text = np.where(count[several] > j + 1, joined, text)
    codes = main_genre.astype(np.int64)
    codes[several] = _GENRE_TEXT.size + np.arange(several.size)
    coded = Coded(np.concatenate([_GENRE_TEXT, text]).astype(TEXT), codes)
    return coded.blank_where(force_some(rng, rng.random(n) < MISSING_RATE, 1))
