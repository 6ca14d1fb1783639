"""Name and genre lists: splitting on the separators KKBOX really uses, and name flags.

Artist, composer and lyricist fields join several names with "|" (usually followed by two
spaces), "/", "&", "、", ";", " feat" / " feat." / "(featuring" and " and " as a whole word.
A separator never applies inside a name: "Brandon" and "Anderson" stay whole.
Every function works over a column's distinct values (see coded.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from encore.features.coded import Bools, Coded, Floats, same_value

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


def genre_list(genre_ids: Coded) -> ListHead:
    return list_head(genre_ids, GENRE_SEPARATOR)


def name_list(names: Coded) -> ListHead:
    return list_head(names, NAME_SEPARATORS)


def first(head: ListHead) -> Coded:
    return head.first


def second(head: ListHead) -> Coded:
    return head.second


def more_than_two(head: ListHead) -> Floats:
    return head.more_than_two.astype(np.float64)


def first_name(names: Coded) -> Coded:
    return name_list(names).first


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


def has_featuring(artist: Coded) -> Floats:
    """1 where the artist field names a featured artist ("A feat. B", "A (featuring B)")."""
    return artist.flags(lambda names: names.str.contains(FEATURING)).astype(np.float64)


def credited(artist_names: Coded, others: Coded) -> Floats:
    """1 where the artist (its ``canonical_names``) is also credited in ``others`` (composer,
    lyricist); a missing name equals nothing."""
    return same_value(artist_names, canonical_names(others)).astype(np.float64)


def both(left: Floats, right: Floats) -> Floats:
    """1 where both flags are 1."""
    return np.minimum(left, right)


def _pieces(values: pd.Series, separators: re.Pattern[str]) -> pd.Series:
    pieces = values.str.split(separators).explode().str.strip()
    return pieces[pieces.notna() & (pieces != "")]


def _nth(pieces: pd.Series, rank: npt.NDArray[np.int64], n: int, n_values: int) -> pd.Series:
    return pieces[rank == n].reindex(range(n_values))


def _canonical(names: pd.Series) -> pd.Series:
    joined = names.str.casefold().str.replace(NAME_SEPARATORS, "|", regex=True)
    tidy = joined.str.replace(r"\s*\|[\s|]*", "|", regex=True).str.strip(" |")
    return tidy.where(tidy != "")
