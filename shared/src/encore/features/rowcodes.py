"""A record as codes: its categorical indices, raw numbers and play-count positions.

The fields a song's columns give (genres, artists, year, ...) and those a member's give (city,
age, ...) depend only on that song's or member's columns, which recur from request to
request. So each part is turned into indices once per song (or member) and the values the
record gives for its columns, and kept; with a catalogue's ``complete`` attached, the columns
a record leaves out are filled in only then. A record costs its number checks, two cache
lookups and its own five ids (the listener, the song and the three sources). The codes are
those ``transform`` gives for the completed record, to the bit.
"""

from __future__ import annotations

import contextlib
import math
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from encore.features.derive import CATEGORICAL_FIELDS, NUMERIC_FIELDS
from encore.features.rowfields import clear_caches as clear_field_caches
from encore.features.rowfields import member_part, number, song_part, text
from encore.features.rowparts import BATCH_DERIVE_PARTS, derived_parts
from encore.features.vocab import MISSING, OOV, RESERVED
from encore.schema import SOURCE_COLUMNS

# The categorical fields by where they come from, and the order of the codes.
ROW_FIELDS = ("msno", "song_id", *SOURCE_COLUMNS)
SONG_HEAD = ("genre1", "genre2", "artist1", "artist2", "composer1", "lyricist1", "language")
MEMBER_FIELDS = ("city", "gender", "registered_via")
SONG_TAIL = ("isrc_country", "song_year")
SONG_FIELDS = SONG_HEAD + SONG_TAIL
# The numeric fields likewise: the song's first two, the member's four, the song's flags.
SONG_NUMBERS_HEAD = NUMERIC_FIELDS[:2]
MEMBER_NUMBERS = NUMERIC_FIELDS[2:6]
SONG_NUMBERS_TAIL = NUMERIC_FIELDS[6:]
assert (*ROW_FIELDS, *SONG_HEAD, *MEMBER_FIELDS, *SONG_TAIL) == CATEGORICAL_FIELDS
assert SONG_NUMBERS_HEAD == ("song_length", "song_year")
# The record's columns each part is derived from, in the order of its key.
SONG_COLUMNS = (
    "genre_ids", "artist_name", "composer", "lyricist", "isrc", "song_length", "language"
)  # fmt: skip
MEMBER_COLUMNS = (
    "city", "registered_via", "registration_init_time", "expiration_date", "bd", "gender"
)  # fmt: skip
# Each cache keeps at most this many parts, the least recently used dropped first: a part
# costs about 1.9 kB with what it keeps alive, so each cache stays under about 64 MB however
# many songs and members go through it.
CACHE_LIMIT = 1 << 15

Lookup = tuple[dict[str, int], int]  # token -> position among training values; values kept
Complete = Callable[[Mapping[str, Any]], Mapping[str, Any]]
Get = Callable[[str], Any]
Cache = OrderedDict[tuple[Any, ...], "CodedPart"]


class RowCode(NamedTuple):
    ids: list[int]  # CATEGORICAL_FIELDS' order
    numbers: list[float]  # NUMERIC_FIELDS' order; song_length before its log1p; NaN = missing
    counted: list[int]  # each count field's position among training values, -1 if none
    user: int  # the listener's position, -1 if unseen or missing


class CodedPart(NamedTuple):
    head: list[int]  # the song's SONG_HEAD ids, or the member's ids
    tail: list[int]  # the song's SONG_TAIL ids (empty for a member)
    positions: list[int]  # of every field of the part, in its order
    numbers_head: list[float]
    numbers_tail: list[float]
    packed: bytes  # all of the above as float64s, in that order: a row for rowbatch.py


def _coded_part(
    head: list[int],
    tail: list[int],
    positions: list[int],
    numbers_head: list[float],
    numbers_tail: list[float],
) -> CodedPart:
    every = [*head, *tail, *positions, *numbers_head, *numbers_tail]
    packed = np.array(every, dtype=np.float64).tobytes()
    return CodedPart(head, tail, positions, numbers_head, numbers_tail, packed)


class RowCoder:
    """Codes of records for one fitted processor (indices depend on its vocabularies)."""

    def __init__(
        self,
        positions: Mapping[str, dict[str, int]],
        kept: Mapping[str, int],
        counted: Sequence[str],
    ) -> None:
        def lookups(fields: tuple[str, ...]) -> list[Lookup]:
            return [(positions[name], kept[name]) for name in fields]

        self.row = lookups(ROW_FIELDS)
        self.song = lookups(SONG_FIELDS)
        self.member = lookups(MEMBER_FIELDS)
        # Where each count field's position is: (0 row, 1 song, 2 member; index in the part).
        groups = (ROW_FIELDS, SONG_FIELDS, MEMBER_FIELDS)
        self.count_plan = [
            next(
                (group, fields.index(name)) for group, fields in enumerate(groups) if name in fields
            )
            for name in counted
        ]
        self.complete: Complete | None = None
        self._songs: Cache = OrderedDict()
        self._members: Cache = OrderedDict()
        self._noted: set[tuple[Any, ...]] = set()  # song keys of batches coded elsewhere
        _CODERS.add(self)

    def clear(self) -> None:
        self._songs.clear()
        self._members.clear()
        self._noted.clear()

    def complete_with(self, complete: Complete | None) -> None:
        """Fill each record's left-out fields with ``complete`` (a catalogue's) before its
        song's and member's fields are derived; only on a cache miss, so a part is keyed by
        the ids and the values the record gives."""
        self.complete = complete
        self.clear()

    def code(self, record: Mapping[str, Any], row: int) -> RowCode:
        """The record's codes; ``row`` names it in an error about a value that is no number."""
        get = record.get
        # One plain loop for the record's own five fields: on this hot path three list
        # comprehensions (tokens, positions, ids) cost twice as much.
        ids, positions, tokens = [], [], []
        for name, (table, kept) in zip(ROW_FIELDS, self.row, strict=True):
            token = get(name)
            if type(token) is not str:
                token = text(token)
            tokens.append(token)
            if token is None:
                positions.append(-1)
                ids.append(MISSING)
            else:
                at = table.get(token, -1)
                positions.append(at)
                ids.append(at + RESERVED if 0 <= at < kept else OOV)
        song = self.song_of((tokens[1], *_song_values(get, row)), record, row)
        member = self.member_of((tokens[0], *_member_values(get, row)), record, row)
        parts = (positions, song.positions, member.positions)
        return RowCode(
            [*ids, *song.head, *member.head, *song.tail],
            [*song.numbers_head, *member.numbers_head, *song.numbers_tail],
            [parts[group][index] for group, index in self.count_plan],
            positions[0],
        )

    def parts_of(
        self,
        member: bool,
        keys: list[tuple[Any, ...]],
        records: Sequence[Mapping[str, Any]],
        rows: list[int],
    ) -> list[CodedPart]:
        """``song_of`` (``member_of``) for many keys, each with the row that gives it; the
        parts new to the cache are derived together when there are many of them."""
        part_of = self.member_of if member else self.song_of
        cache = self._members if member else self._songs
        new = [at for at, key in enumerate(keys) if key not in cache]
        if len(new) < BATCH_DERIVE_PARTS:
            return [part_of(key, records[row], row) for key, row in zip(keys, rows, strict=True)]
        columns = MEMBER_COLUMNS if member else SONG_COLUMNS
        completed = [self._completed(records[rows[at]]) for at in new]
        given = [{name: record.get(name) for name in columns} for record in completed]
        lookups, fields = (self.member, MEMBER_FIELDS) if member else (self.song, SONG_FIELDS)
        head = len(MEMBER_FIELDS) if member else len(SONG_HEAD)
        for at, part in zip(new, derived_parts(given, fields, lookups, member, head), strict=True):
            _kept(cache, keys[at], part)
        return [part_of(key, records[row], row) for key, row in zip(keys, rows, strict=True)]

    def known_share(self, records: Sequence[Mapping[str, Any]], sample: int = 200) -> float:
        """The share of ``records`` whose song part is cached or whose song came in a batch
        passed to ``note_songs``, from an even sample of them."""
        keys = _song_keys(records[:: max(1, len(records) // sample)])
        known = sum(key in self._songs or key in self._noted for key in keys)
        return known / max(1, len(keys))

    def note_songs(self, records: Sequence[Mapping[str, Any]]) -> None:
        """Remember the songs of records coded elsewhere (at most CACHE_LIMIT of them, the
        set emptied when full), so that ``known_share`` counts them when they come again."""
        if len(self._noted) + len(records) > CACHE_LIMIT:
            self._noted.clear()
        self._noted.update(_song_keys(records))

    def song_of(self, key: tuple[Any, ...], record: Mapping[str, Any], row: int) -> CodedPart:
        """The coded song part of ``key`` (the song id and the song columns ``record`` gives),
        from the cache or derived from ``record`` completed."""
        part = self._songs.get(key)
        if part is None:
            values = _song_values(self._completed(record).get, row)
            return _kept(self._songs, key, self._song(values))
        _used(self._songs, key)
        return part

    def member_of(self, key: tuple[Any, ...], record: Mapping[str, Any], row: int) -> CodedPart:
        """``song_of`` for the member part: the listener id and the member columns."""
        part = self._members.get(key)
        if part is None:
            values = _member_values(self._completed(record).get, row)
            return _kept(self._members, key, self._member(values))
        _used(self._members, key)
        return part

    def _completed(self, record: Mapping[str, Any]) -> Mapping[str, Any]:
        return record if self.complete is None else self.complete(record)

    def _song(self, values: tuple[Any, ...]) -> CodedPart:
        fields = song_part(*values)
        tokens = [fields.tokens[name] for name in SONG_FIELDS]
        positions = _positions(tokens, self.song)
        ids = _ids(tokens, positions, self.song)
        numbers = fields.numbers
        return _coded_part(
            ids[: len(SONG_HEAD)],
            ids[len(SONG_HEAD) :],
            positions,
            [numbers[name] for name in SONG_NUMBERS_HEAD],
            [numbers[name] for name in SONG_NUMBERS_TAIL],
        )

    def _member(self, values: tuple[Any, ...]) -> CodedPart:
        city, via, registration, expiration, bd, gender = values
        fields = member_part(city, via, registration, expiration, bd)
        tokens = [fields.tokens["city"], gender, fields.tokens["registered_via"]]
        positions = _positions(tokens, self.member)
        numbers = [fields.numbers[name] for name in MEMBER_NUMBERS]
        return _coded_part(_ids(tokens, positions, self.member), [], positions, numbers, [])


_CODERS: weakref.WeakSet[RowCoder] = weakref.WeakSet()


def _song_values(get: Get, row: int) -> tuple[Any, ...]:
    """The SONG_COLUMNS as song_part takes them (text, numbers with NaN for missing)."""
    return (
        text(get("genre_ids")), text(get("artist_name")), text(get("composer")),
        text(get("lyricist")), text(get("isrc")),
        _number(get, "song_length", row), _number(get, "language", row),
    )  # fmt: skip


def _member_values(get: Get, row: int) -> tuple[Any, ...]:
    """The MEMBER_COLUMNS as RowCoder._member takes them."""
    return (
        _number(get, "city", row), _number(get, "registered_via", row),
        _number(get, "registration_init_time", row), _number(get, "expiration_date", row),
        _number(get, "bd", row), text(get("gender")),
    )  # fmt: skip


def _number(get: Get, name: str, row: int) -> float:
    # The usual cases first, without a call: a float, or left out.
    value = get(name)
    if type(value) is float:
        return value
    return math.nan if value is None else number(value, name, row)


def _song_keys(records: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    """Song keys as the batch path makes them: the id and the song columns as given."""
    return [(record.get("song_id"), *map(record.get, SONG_COLUMNS)) for record in records]


def clear_caches() -> None:
    """Forget every part derived so far, here and in rowfields (for cold-call benchmarks)."""
    clear_field_caches()
    for coder in list(_CODERS):
        coder.clear()


def _positions(tokens: list[str | None], lookups: list[Lookup]) -> list[int]:
    return [
        -1 if token is None else table.get(token, -1)
        for token, (table, _) in zip(tokens, lookups, strict=True)
    ]


def _ids(tokens: list[str | None], positions: list[int], lookups: list[Lookup]) -> list[int]:
    """Vocabulary.ids: kept values by rank, else out-of-vocabulary, or missing."""
    return [
        MISSING if token is None else (at + RESERVED if 0 <= at < kept else OOV)
        for token, at, (_, kept) in zip(tokens, positions, lookups, strict=True)
    ]


def _kept(cache: Cache, key: tuple[Any, ...], part: CodedPart) -> CodedPart:
    cache[key] = part
    if len(cache) > CACHE_LIMIT:
        with contextlib.suppress(KeyError):  # another thread emptied it meanwhile
            cache.popitem(last=False)  # the least recently used
    return part


def _used(cache: Cache, key: tuple[Any, ...]) -> None:
    """Mark ``key`` as just used. Batches are coded in worker threads: another one may have
    dropped the key since this one read it, which costs nothing but a later miss."""
    try:  # not contextlib.suppress: this runs once per song and listener of every batch
        cache.move_to_end(key)
    except KeyError:
        return
