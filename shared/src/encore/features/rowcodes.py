"""A record as codes: its categorical indices, raw numbers and play-count positions.

The fields a song's columns give (genres, artists, year, ...) and those a member's give (city,
age, ...) depend only on those columns, which recur from request to request: the catalogue
fills them in. So each part is turned into indices once per distinct set of values and kept;
a record then costs its number checks, two cache lookups and its own five ids (the listener,
the song and the three sources). The codes are those ``transform`` gives, to the bit.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from encore.features.derive import CATEGORICAL_FIELDS, NUMBER_INPUTS, NUMERIC_FIELDS
from encore.features.rowfields import clear_caches as clear_field_caches
from encore.features.rowfields import member_part, number, song_part, text
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
# Drop a cache once it holds this many parts (a scan over a huge catalogue would grow it).
CACHE_LIMIT = 1 << 17

Lookup = tuple[dict[str, int], int]  # token -> position among training values; values kept


class RowCode(NamedTuple):
    ids: list[int]  # CATEGORICAL_FIELDS' order
    numbers: list[float]  # NUMERIC_FIELDS' order; song_length before its log1p; NaN = missing
    counted: list[int]  # each count field's position among training values, -1 if none
    user: int  # the listener's position, -1 if unseen or missing


class _CodedPart(NamedTuple):
    head: list[int]  # the song's SONG_HEAD ids, or the member's ids
    tail: list[int]  # the song's SONG_TAIL ids (empty for a member)
    positions: list[int]  # of every field of the part, in its order
    numbers_head: list[float]
    numbers_tail: list[float]


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
        self._songs: dict[tuple[Any, ...], _CodedPart] = {}
        self._members: dict[tuple[Any, ...], _CodedPart] = {}
        _CODERS.add(self)

    def clear(self) -> None:
        self._songs.clear()
        self._members.clear()

    def code(self, record: Mapping[str, Any], row: int) -> RowCode:
        """The record's codes; ``row`` names it in an error about a value that is no number."""
        get = record.get
        numbers = [
            value if type(value := get(name)) is float else number(value, name, row)
            for name in NUMBER_INPUTS
        ]
        length, language, city, bd, via, registration, expiration = numbers
        song_key = (
            text(get("genre_ids")), text(get("artist_name")), text(get("composer")),
            text(get("lyricist")), text(get("isrc")), length, language,
        )  # fmt: skip
        song = self._songs.get(song_key) or self._song(song_key)
        member_key = (city, via, registration, expiration, bd, text(get("gender")))
        member = self._members.get(member_key) or self._member(member_key)
        # One plain loop for the record's own five fields: on this hot path three list
        # comprehensions (tokens, positions, ids) cost twice as much.
        ids, positions = [], []
        for name, (table, kept) in zip(ROW_FIELDS, self.row, strict=True):
            token = get(name)
            if type(token) is not str:
                token = text(token)
            if token is None:
                positions.append(-1)
                ids.append(MISSING)
            else:
                at = table.get(token, -1)
                positions.append(at)
                ids.append(at + RESERVED if 0 <= at < kept else OOV)
        parts = (positions, song.positions, member.positions)
        return RowCode(
            [*ids, *song.head, *member.head, *song.tail],
            [*song.numbers_head, *member.numbers_head, *song.numbers_tail],
            [parts[group][index] for group, index in self.count_plan],
            positions[0],
        )

    def _song(self, key: tuple[Any, ...]) -> _CodedPart:
        fields = song_part(*key)
        tokens = [fields.tokens[name] for name in SONG_FIELDS]
        positions = _positions(tokens, self.song)
        ids = _ids(tokens, positions, self.song)
        numbers = fields.numbers
        part = _CodedPart(
            ids[: len(SONG_HEAD)],
            ids[len(SONG_HEAD) :],
            positions,
            [numbers[name] for name in SONG_NUMBERS_HEAD],
            [numbers[name] for name in SONG_NUMBERS_TAIL],
        )
        return _kept(self._songs, key, part)

    def _member(self, key: tuple[Any, ...]) -> _CodedPart:
        city, via, registration, expiration, bd, gender = key
        fields = member_part(city, via, registration, expiration, bd)
        tokens = [fields.tokens["city"], gender, fields.tokens["registered_via"]]
        positions = _positions(tokens, self.member)
        numbers = [fields.numbers[name] for name in MEMBER_NUMBERS]
        part = _CodedPart(_ids(tokens, positions, self.member), [], positions, numbers, [])
        return _kept(self._members, key, part)


_CODERS: weakref.WeakSet[RowCoder] = weakref.WeakSet()


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


def _kept(
    cache: dict[tuple[Any, ...], _CodedPart], key: tuple[Any, ...], part: _CodedPart
) -> _CodedPart:
    if len(cache) >= CACHE_LIMIT:
        cache.clear()
    cache[key] = part
    return part
