"""Name and genre lists: splitting on the separators KKBOX really uses, and name flags.

Artist, composer and lyricist fields join several names with "|" (usually followed by two
spaces), "/", "&", "、", ";", " feat" / " feat." / "(featuring" and " and " as a whole word.
A separator never applies inside a name: "Brandon" and "Anderson" stay whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from encore.features.coded import Bools, Coded, same_value

NAME_SEPARATORS = re.compile(
    r"\||/|&|、|;|\s+\(?feat(?:uring)?\b\.?|\s+and\s+", flags=re.IGNORECASE
)
GENRE_SEPARATOR = re.compile(r"\|")
FEATURING = re.compile(r"(?:^|[\s(])feat(?:uring)?\b", flags=re.IGNORECASE)


@dataclass(frozen=True)
class ListHead:
    """The first two entries of a list field and whether it holds more than two."""

    first: Coded
    second: Coded
    more_than_two: Bools


def list_head(field: Coded, separators: re.Pattern[str]) -> ListHead:
    """Split every distinct value, strip the pieces and drop empty ones."""
    pieces = _pieces(field.series(), separators)
    rank = pieces.groupby(level=0).cumcount().to_numpy()
    has_third = np.zeros(len(field.values), dtype=np.bool_)
    has_third[pieces.index.to_numpy()[rank == 2]] = True
    return ListHead(
        first=field.recode(_nth(pieces, rank, 0, len(field.values))),
        second=field.recode(_nth(pieces, rank, 1, len(field.values))),
        more_than_two=field.per_row(has_third, False),
    )


def canonical_names(field: Coded) -> Coded:
    """Names compared without regard to case, separator style or surrounding spaces."""
    return field.map(_canonical)


def has_featuring(artist: Coded) -> Bools:
    """True where the artist field names a featured artist ("A feat. B", "A (featuring B)")."""
    return artist.flags(lambda names: names.str.contains(FEATURING))


def artist_credits(artist: Coded, composer: Coded, lyricist: Coded) -> tuple[Bools, Bools]:
    """Whether the artist is the composer, and whether the lyricist; missing equals nothing."""
    artist_names = canonical_names(artist)
    return (
        same_value(artist_names, canonical_names(composer)),
        same_value(artist_names, canonical_names(lyricist)),
    )


def _pieces(values: pd.Series, separators: re.Pattern[str]) -> pd.Series:
    pieces = values.str.split(separators).explode().str.strip()
    return pieces[pieces.notna() & (pieces != "")]


def _nth(pieces: pd.Series, rank: npt.NDArray[np.int64], n: int, n_values: int) -> pd.Series:
    return pieces[rank == n].reindex(range(n_values))


def _canonical(names: pd.Series) -> pd.Series:
    joined = names.str.casefold().str.replace(NAME_SEPARATORS, "|", regex=True)
    tidy = joined.str.replace(r"\s*\|[\s|]*", "|", regex=True).str.strip(" |")
    return tidy.where(tidy != "")
