"""Codes of a batch of records, column by column: the many-rows twin of ``RowCoder.code``.

Coding row by row costs about 10 µs a record, mostly in building its cache keys one value at
a time. Here pandas factorizes each column some record gives, the rows are grouped by song
(the song id and every song column together) and by member likewise, and each group's part
is looked up once per batch; numpy then gathers the parts into rows. The codes are those
``RowCoder.code`` gives for each record, to the bit, and the parts share its caches.

A group's key holds its first record's values as given, not as ``RowCoder.code`` normalises
them (3 and 3.0, None and NaN), and the part is derived from that record's normalised
values; so values that group together (or keys that compare equal) must normalise alike.
Only types that keep that true are taken: str, float and None in a text column (not int,
since 1 == 1.0 while their texts differ), int, float and None in a number column (not bool,
which equals 1). A batch with any other value returns None, and the caller codes it row by
row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from encore.features.coded import Codes, Floats
from encore.features.derive import CATEGORICAL_FIELDS, NUMERIC_FIELDS
from encore.features.rowcodes import (
    MEMBER_COLUMNS,
    ROW_FIELDS,
    SONG_COLUMNS,
    SONG_HEAD,
    CodedPart,
    RowCode,
    RowCoder,
)
from encore.features.vocab import MISSING

COLUMNS = (*ROW_FIELDS, *SONG_COLUMNS, *MEMBER_COLUMNS)
_NUMBER_COLUMNS = frozenset(
    {"song_length", "language", "city", "registered_via", "registration_init_time",
     "expiration_date", "bd"}
)  # fmt: skip
_NUMBERS = frozenset({type(None), int, float})
_TEXTS = frozenset({type(None), str, float})
_TAKEN = {name: _NUMBERS if name in _NUMBER_COLUMNS else _TEXTS for name in COLUMNS}
_SONG_IDS = len(SONG_HEAD)
_ROWS, _SONGS = len(ROW_FIELDS), len(SONG_COLUMNS)


class Coded(NamedTuple):
    """A batch's codes as arrays, one row per record (RowCode's fields, stacked)."""

    ids: Codes  # (rows, CATEGORICAL_FIELDS), column-major
    numbers: Floats  # (rows, NUMERIC_FIELDS); song_length before its log1p; NaN = missing
    counted: Codes  # (rows, count fields)
    users: Codes  # (rows,)


def stacked(codes: list[RowCode], counts: int) -> Coded:
    """``RowCoder.code``'s results, record by record, as one ``Coded``."""
    rows = len(codes)
    ids = np.array([code.ids for code in codes], dtype=np.int32, order="F")
    numbers = np.array([code.numbers for code in codes], dtype=np.float64)
    counted = np.array([code.counted for code in codes], dtype=np.int32)
    return Coded(
        ids.reshape(rows, len(CATEGORICAL_FIELDS), order="F"),
        numbers.reshape(rows, len(NUMERIC_FIELDS)),
        counted.reshape(rows, counts),
        np.array([code.user for code in codes], dtype=np.int32),
    )


def code_batch(coder: RowCoder, records: Sequence[Mapping[str, Any]]) -> Coded | None:
    """The records' codes, or None if a value's type rules the column path out."""
    columns = _columns(records)
    if columns is None:
        return None
    msno, song_id = columns[0], columns[1]
    song_columns, member_columns = columns[_ROWS : _ROWS + _SONGS], columns[_ROWS + _SONGS :]
    songs = _Groups([column.codes for column in (song_id, *song_columns)])
    members = _Groups([column.codes for column in (msno, *member_columns)])
    song_keys = songs.keys([column.values for column in (song_id, *song_columns)])
    member_keys = members.keys([column.values for column in (msno, *member_columns)])
    return _assemble(
        coder,
        [_OwnField(coder, index, column) for index, column in enumerate(columns[:_ROWS])],
        _Parts(coder.song_of, song_keys, songs, records),
        _Parts(coder.member_of, member_keys, members, records),
    )


class _Column(NamedTuple):
    values: npt.NDArray[Any]  # object array, None where left out
    codes: npt.NDArray[np.intp]  # equal values share a code; None and NaN (left out) are -1
    uniques: npt.NDArray[Any]  # the value of each code


def _columns(records: Sequence[Mapping[str, Any]]) -> list[_Column] | None:
    """Each of COLUMNS, or None if a value's type rules the column path out."""
    if not records:
        return None
    present: set[str] = set().union(*records)  # every key any record holds
    rows = len(records)
    left_out = _Column(np.empty(rows, dtype=object), np.full(rows, -1, dtype=np.intp), np.empty(0))
    columns = []
    for name in COLUMNS:
        if name not in present:
            columns.append(left_out)
            continue
        values = _values(records, name)
        if not set(map(type, values)) <= _TAKEN[name]:
            return None
        array = np.array(values, dtype=object)
        columns.append(_Column(array, *pd.factorize(array)))
    return columns


def _values(records: Sequence[Mapping[str, Any]], name: str) -> list[Any]:
    try:  # a C loop when every record holds the key
        return list(map(itemgetter(name), records))
    except KeyError:
        return [record.get(name) for record in records]


class _Groups:
    """The rows grouped by equal values in every one of some columns' codes."""

    def __init__(self, codes: list[npt.NDArray[np.intp]]) -> None:
        combined = codes[0]
        for more in codes[1:]:
            if more.max(initial=-1) >= 0:  # a column nobody gave splits no group
                combined = pd.factorize(combined * (int(more.max()) + 2) + more + 1)[0]
        _, self.first_rows, self.of_row = np.unique(
            combined, return_index=True, return_inverse=True
        )

    def keys(self, columns: list[npt.NDArray[Any]]) -> list[tuple[Any, ...]]:
        """Each group's values as a cache key: those of its first row."""
        return list(zip(*(column[self.first_rows] for column in columns), strict=True))


class _Parts:
    """The coded parts of a batch's distinct songs (or members), gathered into rows."""

    def __init__(
        self,
        part_of: Callable[[tuple[Any, ...], Mapping[str, Any], int], CodedPart],
        keys: list[tuple[Any, ...]],
        groups: _Groups,
        records: Sequence[Mapping[str, Any]],
    ) -> None:
        parts = [
            part_of(key, records[row], row)
            for key, row in zip(keys, groups.first_rows.tolist(), strict=True)
        ]
        packed = b"".join([part.packed for part in parts])
        table = np.frombuffer(packed, dtype=np.float64).reshape(len(parts), -1)[groups.of_row]
        first = parts[0]
        ids = len(first.head) + len(first.tail)
        head = 2 * ids + len(first.numbers_head)
        self.ids = table[:, :ids].astype(np.int32)
        self.positions = table[:, ids : 2 * ids].astype(np.int32)
        self.numbers_head = table[:, 2 * ids : head]
        self.numbers_tail = table[:, head:]


class _OwnField:
    """Positions and ids of one of the record's own fields (ROW_FIELDS), per row."""

    def __init__(self, coder: RowCoder, index: int, column: _Column) -> None:
        # The last entry serves the rows that leave the field out (code -1).
        coded = [coder.own_code(index, value) for value in column.uniques] + [(-1, MISSING)]
        self.positions = np.array([c[0] for c in coded], dtype=np.int32)[column.codes]
        self.ids = np.array([c[1] for c in coded], dtype=np.int32)[column.codes]


def _assemble(coder: RowCoder, own: list[_OwnField], song: _Parts, member: _Parts) -> Coded:
    rows = len(own[0].ids)
    ids = np.empty((rows, len(CATEGORICAL_FIELDS)), dtype=np.int32, order="F")
    for index, field in enumerate(own):
        ids[:, index] = field.ids
    members = _ROWS + _SONG_IDS + member.ids.shape[1]
    ids[:, _ROWS : _ROWS + _SONG_IDS] = song.ids[:, :_SONG_IDS]
    ids[:, _ROWS + _SONG_IDS : members] = member.ids
    ids[:, members:] = song.ids[:, _SONG_IDS:]
    numbers = np.concatenate((song.numbers_head, member.numbers_head, song.numbers_tail), axis=1)
    own_positions = np.stack([field.positions for field in own], axis=1)
    groups = (own_positions, song.positions, member.positions)
    counted = np.stack([groups[group][:, index] for group, index in coder.count_plan], axis=1)
    return Coded(ids, numbers, counted.astype(np.int32), own[0].positions)
