"""Codes of a batch of records, column by column: the many-rows twin of ``RowCoder.code``.

Coding row by row costs about 10 µs a record, mostly in building its cache keys one value at
a time. Here the columns some record gives are read one at a time, the rows are grouped by
song (the song id and the song columns, zipped: one dict lookup a row) and by member
likewise, and each group's part is looked up once per batch; numpy then gathers the parts
into rows. The codes are those ``RowCoder.code`` gives for each record, to the bit, and the
parts share its caches.

A group's key holds its first record's values as given, not as ``RowCoder.code`` normalises
them (3 and 3.0, None and NaN), and the part is derived from that record's normalised
values; so values that compare equal must normalise alike.
Only types that keep that true are taken: str, float and None in a text column (not int,
since 1 == 1.0 while their texts differ), int, float and None in a number column (not bool,
which equals 1). A batch with any other value returns None, and the caller codes it row by
row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

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
from encore.features.rowfields import text
from encore.features.vocab import MISSING, ids_at

COLUMNS = (*ROW_FIELDS, *SONG_COLUMNS, *MEMBER_COLUMNS)
_NUMBER_COLUMNS = frozenset(
    {"song_length", "language", "city", "registered_via", "registration_init_time",
     "expiration_date", "bd"}
)  # fmt: skip
_NUMBERS = frozenset({type(None), int, float})
_TEXTS = frozenset({type(None), str, float})
_TAKEN = {name: _NUMBERS if name in _NUMBER_COLUMNS else _TEXTS for name in COLUMNS}
_SONG_IDS = len(SONG_HEAD)
_ROWS = len(ROW_FIELDS)


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
    rows = len(records)
    songs = _Groups(columns, "song_id", SONG_COLUMNS, rows)
    members = _Groups(columns, "msno", MEMBER_COLUMNS, rows)
    own = [_OwnField(coder, 0, members.ids(), members.of_row)]
    own.append(_OwnField(coder, 1, songs.ids(), songs.of_row))
    for index, name in enumerate(ROW_FIELDS[2:], start=2):
        sources = _Groups(columns, name, (), rows)
        own.append(_OwnField(coder, index, sources.ids(), sources.of_row))
    return _assemble(
        coder,
        own,
        _Parts(coder.parts_of(False, songs.keys, records, songs.first_rows), songs.of_row),
        _Parts(coder.parts_of(True, members.keys, records, members.first_rows), members.of_row),
    )


def _columns(records: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]] | None:
    """The COLUMNS some record gives, by name, or None if a value's type rules the column
    path out (or there are no records)."""
    if not records:
        return None
    present: set[str] = set().union(*records)  # every key any record holds
    columns = {name: _values(records, name) for name in COLUMNS if name in present}
    for name, values in columns.items():
        if not set(map(type, values)) <= _TAKEN[name]:
            return None
    return columns


def _values(records: Sequence[Mapping[str, Any]], name: str) -> list[Any]:
    try:  # a C loop when every record holds the key
        return list(map(itemgetter(name), records))
    except KeyError:
        return [record.get(name) for record in records]


class _Groups:
    """The rows grouped by equal values of an id column and some part columns (those no
    record gives count as None), with each group's key as ``RowCoder`` caches it."""

    def __init__(
        self, columns: dict[str, list[Any]], id_name: str, part: tuple[str, ...], rows: int
    ) -> None:
        given = [name for name in part if name in columns]
        ids = columns.get(id_name, [None] * rows)
        parts = [columns[name] for name in given]
        values: Iterable[Any] = zip(ids, *parts, strict=True) if given else ids
        first: dict[Any, int] = {}
        first_of_row = [first.setdefault(value, row) for row, value in enumerate(values)]
        self.first_rows = list(first.values())
        group_of_first = np.empty(rows, dtype=np.intp)
        group_of_first[self.first_rows] = np.arange(len(self.first_rows))
        self.of_row = group_of_first[first_of_row]
        self.keys = _full_keys(list(first), given, part)

    def ids(self) -> list[Any]:
        """Each group's id value."""
        return [key[0] for key in self.keys]


def _full_keys(
    grouped: list[Any], given: list[str], part: tuple[str, ...]
) -> list[tuple[Any, ...]]:
    """Cache keys (id, every part column) from the grouped values (id, the given columns)."""
    if len(given) == len(part):
        return grouped if given else [(value,) for value in grouped]
    if not given:
        return [(value, *_NONE[: len(part)]) for value in grouped]
    where = {name: at for at, name in enumerate(given, start=1)}
    places = [where.get(name) for name in part]
    return [
        (values[0], *(None if at is None else values[at] for at in places)) for values in grouped
    ]


_NONE = (None,) * max(len(SONG_COLUMNS), len(MEMBER_COLUMNS))


class _Parts:
    """The coded parts of a batch's distinct songs (or members), gathered into rows."""

    def __init__(self, parts: list[CodedPart], of_row: npt.NDArray[np.intp]) -> None:
        packed = b"".join([part.packed for part in parts])
        table = np.frombuffer(packed, dtype=np.float64).reshape(len(parts), -1)[of_row]
        first = parts[0]
        ids = len(first.head) + len(first.tail)
        head = 2 * ids + len(first.numbers_head)
        self.ids = table[:, :ids].astype(np.int32)
        self.positions = table[:, ids : 2 * ids].astype(np.int32)
        self.numbers_head = table[:, 2 * ids : head]
        self.numbers_tail = table[:, head:]


class _OwnField:
    """Positions and ids of one of the record's own fields (ROW_FIELDS), per row."""

    def __init__(
        self, coder: RowCoder, index: int, values: list[Any], of_row: npt.NDArray[np.intp]
    ) -> None:
        tokens = [value if type(value) is str else text(value) for value in values]
        table, kept = coder.row[index]
        at = np.array(
            [-1 if token is None else table.get(token, -1) for token in tokens], dtype=np.int32
        )
        missing = np.array([token is None for token in tokens], dtype=bool)
        ids = np.where(missing, MISSING, ids_at(at, kept)).astype(np.int32)
        self.positions, self.ids = at[of_row], ids[of_row]


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
