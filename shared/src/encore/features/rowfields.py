"""From one joined row as a plain dict to raw feature fields: the twin of derive.py.

A record holds the consolidated frame's columns (see encore.ingest.consolidate) under the
same names. Missing is None, NaN, pandas' NA or an absent key. Text values are used as they
are (any other value as ``str(value)``, like a category column's categories); an empty
string is a value, not missing, as in a category column. Numbers are floats or ints (a
numeric string is read with ``float``; a bool or any other value is a user error).
"""

from __future__ import annotations

import math
from functools import lru_cache
from numbers import Real
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from encore.errors import EncoreError
from encore.features.coded import number_token
from encore.features.rowmember import clear_date_cache, member_numbers
from encore.features.rowtext import Text, song_text


class Part(NamedTuple):
    """The tokens and numbers one part of a row (its song's or its member's) gives."""

    tokens: dict[str, Text]
    numbers: dict[str, float]


def song_part(
    genres: Text,
    artist: Text,
    composer: Text,
    lyricist: Text,
    isrc: Text,
    length: float,
    language: float,
) -> Part:
    """The fields ``derive`` takes from a song's columns (rowcodes.py keeps the results)."""
    song = song_text(genres, artist, composer, lyricist, isrc)
    return Part(
        song.tokens | {"language": _token(language)},
        song.numbers | {"song_length": length if length > 0 else math.nan},
    )


def member_part(
    city: float, registered_via: float, registration: float, expiration: float, bd: float
) -> Part:
    """The fields ``derive`` takes from a member's columns, but gender (a token as it is)."""
    return Part(
        {"city": _token(city), "registered_via": _token(registered_via)},
        member_numbers(registration, expiration, bd),
    )


def log_length(length: float) -> float:
    """song.log_length of one row's ``song_length`` field (positive or NaN).

    numpy's log1p, not math's: its SIMD loops need not round as the C library does.
    """
    return length if length != length else _log1p(length)


@lru_cache(maxsize=1 << 16)
def _log1p(length: float) -> float:
    return float(np.log1p(np.array([length]))[0])


def clear_caches() -> None:
    """Forget the per-value results cached so far (for cold-call benchmarks)."""
    song_text.cache_clear()
    clear_date_cache()
    _log1p.cache_clear()
    _number_token.cache_clear()


def is_missing(value: Any) -> bool:
    """None, NaN and pandas' NA: what a frame column holds as missing."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, (float, Real)) and value != value  # float first: no ABC check


def text(value: Any) -> Text:
    if type(value) is str:
        return value
    return None if is_missing(value) else str(value)


def number(value: Any, name: str, row: int) -> float:
    """A float, NaN where missing; anything that is not a number is a user error."""
    if type(value) is float:
        return value
    if value is None:
        return math.nan
    if type(value) is int:
        return float(value)
    if isinstance(value, Real) and not isinstance(value, bool):
        return float(value)
    if is_missing(value):
        return math.nan
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
    raise EncoreError(f"features: column {name!r}, row {row}: {value!r} is not a number")


def _token(value: float) -> Text:
    return None if value != value else _number_token(value)


@lru_cache(maxsize=1 << 12)
def _number_token(value: float) -> str:
    return number_token(value)
