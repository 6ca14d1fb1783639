"""Song fields of one row, value by value: the twin of text.py and song.py for a few rows.

``transform`` runs pandas ``.str`` methods over a column's distinct values; on this pandas
(python-backed strings) they call ``str.strip``, ``str.upper``, ``str.casefold`` and the
compiled ``re`` patterns once per value. The functions here call the same ones on a single
value, so both paths give the same tokens. Results are cached per song's text fields: the
API sees the same songs again and again.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from encore.features.coded import number_token
from encore.features.song import LAST_20XX_YEAR, YEAR_LAYOUT
from encore.features.text import FEATURING, GENRE_SEPARATOR, NAME_SEPARATORS

CACHE_SIZE = 1 << 16
_TIDY = re.compile(r"\s*\|[\s|]*")
_COUNTRY = re.compile(r"[A-Z]{2}")
_YEAR_LAYOUT = re.compile(YEAR_LAYOUT)

Text = str | None


@dataclass(frozen=True)
class SongText:
    """A song's categorical tokens (None = missing) and numeric fields (NaN = missing)."""

    tokens: dict[str, Text]
    numbers: dict[str, float]


@dataclass(frozen=True)
class Head:
    """The first two entries of a list field and whether it holds more than two."""

    first: Text
    second: Text
    more_than_two: bool


@lru_cache(maxsize=CACHE_SIZE)
def song_text(genres: Text, artist: Text, composer: Text, lyricist: Text, isrc: Text) -> SongText:
    """Every field ``derive`` takes from genre_ids, artist_name, composer, lyricist and isrc.

    The returned object is shared through the cache: read it, never change it.
    """
    genre, artists = head(genres, GENRE_SEPARATOR), head(artist, NAME_SEPARATORS)
    is_composer, is_lyricist = _same_name(artist, composer), _same_name(artist, lyricist)
    year = isrc_year(isrc)
    tokens = {
        "genre1": genre.first,
        "genre2": genre.second,
        "artist1": artists.first,
        "artist2": artists.second,
        "composer1": head(composer, NAME_SEPARATORS).first,
        "lyricist1": head(lyricist, NAME_SEPARATORS).first,
        "isrc_country": isrc_country(isrc),
        "song_year": None if math.isnan(year) else number_token(year),
    }
    numbers = {
        "song_year": year,
        "featured_artist": _flag(artist is not None and FEATURING.search(artist) is not None),
        "artist_is_composer": _flag(is_composer),
        "artist_is_lyricist": _flag(is_lyricist),
        "artist_composer_lyricist": _flag(is_composer and is_lyricist),
        "more_than_two_genres": _flag(genre.more_than_two),
        "more_than_two_artists": _flag(artists.more_than_two),
    }
    return SongText(tokens, numbers)


def head(value: Text, separators: re.Pattern[str]) -> Head:
    """Split on ``separators``, strip the pieces and drop empty ones (text.list_head)."""
    if value is None:
        return Head(None, None, False)
    pieces = [piece for piece in (p.strip() for p in separators.split(value)) if piece]
    return Head(
        pieces[0] if pieces else None,
        pieces[1] if len(pieces) > 1 else None,
        len(pieces) > 2,
    )


def canonical(value: Text) -> Text:
    """A name list without regard to case, separator style or spaces (text.canonical_names)."""
    if value is None:
        return None
    joined = NAME_SEPARATORS.sub("|", value.casefold())
    tidy = _TIDY.sub("|", joined).strip(" |")
    return tidy or None


def isrc_country(isrc: Text) -> Text:
    """The ISRC's two-letter country code, None unless both are letters (song.isrc_country)."""
    if isrc is None:
        return None
    country = isrc.strip().upper()[:2]
    return country if _COUNTRY.fullmatch(country) else None


def isrc_year(isrc: Text) -> float:
    """Recording year from an ISRC with the standard layout, else NaN (song.isrc_year)."""
    if isrc is None:
        return math.nan
    upper = isrc.strip().upper()
    if not _YEAR_LAYOUT.fullmatch(upper):
        return math.nan
    two_digits = int(upper[5:7])
    return float(two_digits + (1900 if two_digits > LAST_20XX_YEAR else 2000))


def _same_name(left: Text, right: Text) -> bool:
    """Equal canonical names; a missing name equals nothing (coded.same_value)."""
    left_name = canonical(left)
    return left_name is not None and left_name == canonical(right)


def _flag(value: bool) -> float:
    return 1.0 if value else 0.0
