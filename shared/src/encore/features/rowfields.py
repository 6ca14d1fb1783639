"""From one joined row as a plain dict to raw feature fields: the twin of derive.py.

A record holds the consolidated frame's columns (see encore.ingest.consolidate) under the
same names. Missing is None, NaN, pandas' NA or an absent key. Text values are used as they
are (any other value as ``str(value)``, like a category column's categories); an empty
string is a value, not missing, as in a category column. Numbers are floats or ints (a
numeric string is read with ``float``; a bool or any other value is a user error).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from numbers import Real
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from encore.errors import EncoreError
from encore.features.coded import number_token
from encore.features.derive import NUMBER_INPUTS
from encore.features.rowmember import clear_date_cache, member_numbers
from encore.features.rowtext import CACHE_SIZE, Text, song_text
from encore.schema import SOURCE_COLUMNS

# Inputs that are categorical fields as they stand.
_PLAIN_TEXT = ("msno", "song_id", *SOURCE_COLUMNS, "gender")


class _Part(NamedTuple):
    """The tokens and numbers one part of a row (its song's or its member's) gives."""

    tokens: dict[str, Text]
    numbers: dict[str, float]


class RowFields(NamedTuple):
    """One row's categorical tokens (None = missing) and numeric fields (NaN = missing).

    ``numbers["song_length"]`` is the positive length or NaN, before its log1p: that is
    taken over the whole batch by numpy, as transform does.
    """

    tokens: dict[str, Text]
    numbers: dict[str, float]


def row_fields(record: Mapping[str, Any], row: int) -> RowFields:
    """The fields ``derive`` gives for this record as row ``row`` of a frame."""
    # The usual types first, without a call: floats and strings as they stand.
    numbers = {
        name: value if type(value := record.get(name)) is float else number(value, name, row)
        for name in NUMBER_INPUTS
    }
    song = _song_part(
        text(record.get("genre_ids")),
        text(record.get("artist_name")),
        text(record.get("composer")),
        text(record.get("lyricist")),
        text(record.get("isrc")),
        numbers["song_length"],
        numbers["language"],
    )
    member = _member_part(
        numbers["city"],
        numbers["registered_via"],
        numbers["registration_init_time"],
        numbers["expiration_date"],
        numbers["bd"],
    )
    tokens = {
        name: value if type(value := record.get(name)) is str else text(value)
        for name in _PLAIN_TEXT
    }
    return RowFields(song.tokens | member.tokens | tokens, song.numbers | member.numbers)


# A song's and a member's fields recur from request to request (the catalogue fills them
# in), so each part is derived once per distinct set of values. The cached parts are shared:
# callers build new dicts from them and never change them.
@lru_cache(maxsize=CACHE_SIZE)
def _song_part(
    genres: Text,
    artist: Text,
    composer: Text,
    lyricist: Text,
    isrc: Text,
    length: float,
    language: float,
) -> _Part:
    song = song_text(genres, artist, composer, lyricist, isrc)
    return _Part(
        song.tokens | {"language": _token(language)},
        song.numbers | {"song_length": length if length > 0 else math.nan},
    )


@lru_cache(maxsize=CACHE_SIZE)
def _member_part(
    city: float, registered_via: float, registration: float, expiration: float, bd: float
) -> _Part:
    return _Part(
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
    _song_part.cache_clear()
    _member_part.cache_clear()
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
