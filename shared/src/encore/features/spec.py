"""The feature spec: every raw input column and every model field, declared once.

A play's features come in three parts, each a function of its own columns only:
- ``play``: where the play happened (the three source columns);
- ``song``: the song id and the song's columns (songs.csv, song_extra_info.csv);
- ``member``: the listener id and the listener's columns (members.csv).
Because of that, a song's (or member's) part is computed once per song, not once per play:
when a version is written, for every song and member of the data set (encore.catalogue).

``INPUTS`` are the raw columns of a joined KKBOX row with what the API accepts for each.
``STEPS`` are intermediate results several fields share. ``FIELDS`` are what the model sees:
categorical fields (one embedding each) and numeric ones (standardised; a missable one is
followed by a 0/1 ``<name>_missing`` column), each derived by one vectorised function from
inputs, steps or other fields named in ``inputs`` (see evaluate.py). ``PlayCount`` and
``Shares`` are numeric fields learnt from the training plays (see stats.py).

A new derived field is one entry here and, at most, one function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from encore.features import member, song, text
from encore.features.coded import coded_numbers

Part = Literal["play", "song", "member"]
PARTS: tuple[Part, ...] = ("play", "song", "member")


@dataclass(frozen=True)
class Id:
    """A listener or song id: any non-empty text (KKBOX's are 44 base64 characters)."""

    max_length: int = 200


@dataclass(frozen=True)
class Text:
    max_length: int = 1_000


@dataclass(frozen=True)
class Whole:
    ge: int
    le: int


@dataclass(frozen=True)
class Real:
    ge: float
    le: float


@dataclass(frozen=True)
class Date:
    """A YYYYMMDD integer that names a real calendar date."""

    ge: int = 19_000_101
    le: int = 22_001_231


ApiType = Id | Text | Whole | Real | Date


@dataclass(frozen=True)
class Input:
    """A raw column of a joined row: read as text (codes into distinct values) or as a
    number (float64, NaN where missing)."""

    name: str
    part: Part
    kind: Literal["text", "number"]
    api: ApiType
    description: str


@dataclass(frozen=True)
class Step:
    """An intermediate result (for example a name list split once for three fields)."""

    name: str
    part: Part
    fn: Callable[..., Any]
    inputs: tuple[str, ...]


@dataclass(frozen=True)
class Field:
    """A model input derived from its ``inputs`` by ``fn``: categorical fields return coded
    text (coded.Coded), numeric ones floats with NaN where missing."""

    name: str
    part: Part
    kind: Literal["categorical", "numeric"]
    fn: Callable[..., Any]
    inputs: tuple[str, ...]
    missable: bool = False


@dataclass(frozen=True)
class PlayCount:
    """log1p of the training plays holding the value of categorical field ``key``."""

    name: str
    part: Part
    key: str


@dataclass(frozen=True)
class Shares:
    """For the value of categorical field ``key`` (of this part), its training plays' shares
    per value of categorical field ``source``: one numeric column per index of the source's
    vocabulary (out-of-vocabulary and missing included). A value with no training play gets
    the shares of all training plays."""

    name: str
    part: Part
    key: str
    source: str


Entry = Field | PlayCount | Shares


def categorical(name: str, part: Part, fn: Callable[..., Any], *inputs: str) -> Field:
    return Field(name, part, "categorical", fn, inputs or (name,))


def numeric(
    name: str, part: Part, fn: Callable[..., Any], *inputs: str, missable: bool = False
) -> Field:
    return Field(name, part, "numeric", fn, inputs or (name,), missable)


def as_given(column: Any) -> Any:
    """The input itself: a text column used as a categorical field."""
    return column


INPUTS: tuple[Input, ...] = (
    Input("source_system_tab", "play", "text", Text(), "tab the play came from, e.g. my library"),
    Input("source_screen_name", "play", "text", Text(), "screen, e.g. Local playlist more"),
    Input("source_type", "play", "text", Text(), "entry point, e.g. local-library"),
    Input("song_id", "song", "text", Id(), "song id"),
    Input("song_length", "song", "number", Whole(0, 100_000_000), "milliseconds"),
    Input("genre_ids", "song", "text", Text(), "genre ids separated by |, e.g. 465|1259"),
    Input("artist_name", "song", "text", Text(), "artists, separated by |"),
    Input("composer", "song", "text", Text(), "composers, separated by |"),
    Input("lyricist", "song", "text", Text(), "lyricists, separated by |"),
    Input("language", "song", "number", Real(-1, 1_000), "language code, e.g. 3, 52, -1"),
    Input("name", "song", "text", Text(), "song name (not used by the model)"),
    Input("isrc", "song", "text", Text(), "ISRC code, e.g. TWB531410010"),
    Input("msno", "member", "text", Id(), "listener id"),
    Input("city", "member", "number", Whole(0, 1_000), "listener's city code"),
    Input("bd", "member", "number", Whole(-10_000, 10_000), "age as KKBOX records it"),
    Input("gender", "member", "text", Text(), "male, female, or left out"),
    Input("registered_via", "member", "number", Whole(0, 1_000), "registration method"),
    Input("registration_init_time", "member", "number", Date(), "YYYYMMDD"),
    Input("expiration_date", "member", "number", Date(), "YYYYMMDD"),
)

STEPS: tuple[Step, ...] = (
    Step("genres", "song", text.genre_list, ("genre_ids",)),
    Step("artists", "song", text.name_list, ("artist_name",)),
    Step("artist_names", "song", text.canonical_names, ("artist_name",)),
    Step("isrc_year", "song", song.isrc_year, ("isrc",)),
    Step("registration_days", "member", member.date_days, ("registration_init_time",)),
    Step("expiration_days", "member", member.date_days, ("expiration_date",)),
)

# fmt: off
FIELDS: tuple[Entry, ...] = (
    categorical("source_system_tab", "play", as_given),
    categorical("source_screen_name", "play", as_given),
    categorical("source_type", "play", as_given),
    categorical("song_id", "song", as_given),
    categorical("genre1", "song", text.first, "genres"),
    categorical("genre2", "song", text.second, "genres"),
    categorical("artist1", "song", text.first, "artists"),
    categorical("artist2", "song", text.second, "artists"),
    categorical("composer1", "song", text.first_name, "composer"),
    categorical("lyricist1", "song", text.first_name, "lyricist"),
    categorical("language", "song", coded_numbers),
    categorical("isrc_country", "song", song.isrc_country, "isrc"),
    categorical("song_year", "song", coded_numbers, "isrc_year"),
    numeric("song_length", "song", song.log_length, missable=True),
    numeric("recording_year", "song", as_given, "isrc_year", missable=True),
    numeric("featured_artist", "song", text.has_featuring, "artist_name"),
    numeric("artist_is_composer", "song", text.credited, "artist_names", "composer"),
    numeric("artist_is_lyricist", "song", text.credited, "artist_names", "lyricist"),
    numeric("artist_composer_lyricist", "song", text.both, "artist_is_composer",
            "artist_is_lyricist"),
    numeric("more_than_two_genres", "song", text.more_than_two, "genres"),
    numeric("more_than_two_artists", "song", text.more_than_two, "artists"),
    PlayCount("song_plays", "song", "song_id"),
    PlayCount("artist_plays", "song", "artist1"),
    categorical("msno", "member", as_given),
    categorical("city", "member", coded_numbers),
    categorical("gender", "member", as_given),
    categorical("registered_via", "member", coded_numbers),
    numeric("registration_year", "member", member.year_of, "registration_init_time",
            "registration_days", missable=True),
    numeric("expiration_year", "member", member.year_of, "expiration_date", "expiration_days",
            missable=True),
    numeric("membership_days", "member", member.membership_days, "registration_days",
            "expiration_days", missable=True),
    numeric("age", "member", member.age, "bd", missable=True),
    PlayCount("user_plays", "member", "msno"),
    Shares("user_source_type_share", "member", "msno", "source_type"),
    Shares("user_source_system_tab_share", "member", "msno", "source_system_tab"),
)
# fmt: on

# The field each part's rows are keyed by (the play part: all of its inputs together).
KEYS: dict[Part, tuple[str, ...]] = {
    "play": ("source_system_tab", "source_screen_name", "source_type"),
    "song": ("song_id",),
    "member": ("msno",),
}
INPUT_BY_NAME = {item.name: item for item in INPUTS}
CATEGORICAL = tuple(f for f in FIELDS if isinstance(f, Field) and f.kind == "categorical")
CATEGORICAL_NAMES = tuple(f.name for f in CATEGORICAL)


@cache
def inputs_of(part: Part) -> tuple[str, ...]:
    """The input columns a part's fields are derived from (its key first)."""
    used = _used_inputs(part)
    return tuple(item.name for item in INPUTS if item.part == part and item.name in used)


@cache
def fields_of(part: Part) -> tuple[Entry, ...]:
    return tuple(entry for entry in FIELDS if entry.part == part)


@cache
def categorical_of(part: Part) -> tuple[str, ...]:
    return tuple(f.name for f in CATEGORICAL if f.part == part)


def _used_inputs(part: Part) -> set[str]:
    steps = {step.name: step for step in STEPS}
    fields = {entry.name: entry for entry in FIELDS}
    used: set[str] = set(KEYS[part])
    pending = [name for entry in fields_of(part) for name in _needs(entry)]
    while pending:
        name = pending.pop()
        if name in INPUT_BY_NAME:
            used.add(name)
        elif name in steps:
            pending.extend(steps[name].inputs)
        else:
            pending.extend(_needs(fields[name]))
    return used


def _needs(entry: Entry) -> tuple[str, ...]:
    if isinstance(entry, Field):
        return entry.inputs
    return (entry.key,)
