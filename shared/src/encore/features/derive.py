"""From a consolidated frame (one row per play, see encore.ingest) to raw feature columns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from encore.errors import EncoreError
from encore.features import member, song, text
from encore.features.coded import Bools, Coded, Floats, Singles, coded_numbers, coded_text
from encore.schema import SOURCE_COLUMNS

TEXT_INPUTS = (
    "msno",
    "song_id",
    *SOURCE_COLUMNS,
    "genre_ids",
    "artist_name",
    "composer",
    "lyricist",
    "isrc",
    "gender",
)
NUMBER_INPUTS = (
    "song_length",
    "language",
    "city",
    "bd",
    "registered_via",
    "registration_init_time",
    "expiration_date",
)
REQUIRED_COLUMNS = (*TEXT_INPUTS, *NUMBER_INPUTS)

CATEGORICAL_FIELDS = (
    "msno",
    "song_id",
    *SOURCE_COLUMNS,
    "genre1",
    "genre2",
    "artist1",
    "artist2",
    "composer1",
    "lyricist1",
    "language",
    "city",
    "gender",
    "registered_via",
    "isrc_country",
    "song_year",
)
NUMERIC_FIELDS = (
    "song_length",
    "song_year",
    "registration_year",
    "expiration_year",
    "membership_days",
    "age",
    "featured_artist",
    "artist_is_composer",
    "artist_is_lyricist",
    "artist_composer_lyricist",
    "more_than_two_genres",
    "more_than_two_artists",
)
# The numeric fields above that can be missing get a 0/1 indicator column.
MISSABLE_FIELDS = NUMERIC_FIELDS[:6]


@dataclass
class Derived:
    """Raw fields of a frame; turning them into a matrix consumes them, field by field."""

    categorical: dict[str, Coded]
    numeric: dict[str, Singles]  # float32: the output's precision, half the memory


def derive(frame: pd.DataFrame) -> Derived:
    """Every categorical field as codes and every numeric field as float32 (NaN = missing)."""
    _check_columns(frame)
    texts = {name: coded_text(frame[name]) for name in TEXT_INPUTS}
    numbers = {name: _floats(frame, name) for name in NUMBER_INPUTS}
    categorical, numeric = _song_fields(texts, numbers)
    categorical |= {name: texts[name] for name in ("msno", "song_id", *SOURCE_COLUMNS, "gender")}
    categorical |= {n: coded_numbers(numbers[n]) for n in ("language", "city", "registered_via")}
    numeric |= _member_fields(numbers)
    return Derived(
        {name: categorical[name] for name in CATEGORICAL_FIELDS},
        {name: numeric[name].astype(np.float32) for name in NUMERIC_FIELDS},
    )


def _song_fields(
    texts: dict[str, Coded], numbers: dict[str, Floats]
) -> tuple[dict[str, Coded], dict[str, Floats]]:
    genres = text.list_head(texts["genre_ids"], text.GENRE_SEPARATOR)
    artists = text.list_head(texts["artist_name"], text.NAME_SEPARATORS)
    is_composer, is_lyricist = text.artist_credits(
        texts["artist_name"], texts["composer"], texts["lyricist"]
    )
    year = song.isrc_year(texts["isrc"])
    categorical = {
        "genre1": genres.first,
        "genre2": genres.second,
        "artist1": artists.first,
        "artist2": artists.second,
        "composer1": text.list_head(texts["composer"], text.NAME_SEPARATORS).first,
        "lyricist1": text.list_head(texts["lyricist"], text.NAME_SEPARATORS).first,
        "isrc_country": song.isrc_country(texts["isrc"]),
        "song_year": coded_numbers(year),
    }
    numeric = {
        "song_length": song.log_length(numbers["song_length"]),
        "song_year": year,
        "featured_artist": _flag(text.has_featuring(texts["artist_name"])),
        "artist_is_composer": _flag(is_composer),
        "artist_is_lyricist": _flag(is_lyricist),
        "artist_composer_lyricist": _flag(is_composer & is_lyricist),
        "more_than_two_genres": _flag(genres.more_than_two),
        "more_than_two_artists": _flag(artists.more_than_two),
    }
    return categorical, numeric


def _member_fields(numbers: dict[str, Floats]) -> dict[str, Floats]:
    registration = numbers["registration_init_time"]
    expiration = numbers["expiration_date"]
    registration_days = member.date_days(registration)
    expiration_days = member.date_days(expiration)
    return {
        "registration_year": member.year_of(registration, registration_days),
        "expiration_year": member.year_of(expiration, expiration_days),
        "membership_days": member.membership_days(registration_days, expiration_days),
        "age": member.age(numbers["bd"]),
    }


def _flag(values: Bools) -> Floats:
    return values.astype(np.float64)


def _floats(frame: pd.DataFrame, name: str) -> Floats:
    column = frame[name]
    if pd.api.types.is_float_dtype(column.dtype):
        return np.asarray(column, dtype=np.float64)
    numbers = pd.to_numeric(column.astype(object), errors="coerce")
    garbage = numbers.isna() & column.notna()
    if garbage.any():
        row = garbage.idxmax()
        raise EncoreError(f"features: column {name!r}, row {row}: {column[row]!r} is not a number")
    return np.asarray(numbers, dtype=np.float64)


def _check_columns(frame: pd.DataFrame) -> None:
    missing = [name for name in REQUIRED_COLUMNS if name not in frame.columns]
    if missing:
        raise EncoreError(f"features: the input lacks column(s) {', '.join(missing)}")
