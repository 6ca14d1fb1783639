"""KKBOX WSDM file layout: one source of truth for file names, column order and types.

Kinds:
- ``id``: a 44-character base64 identifier (msno, song_id); read as a pandas category.
- ``category``: a short string from a small value set; read as a pandas category.
  Both the word "null" and an empty field occur in the source fields: "null" is a value,
  an empty field is missing.
- ``text``: free text (names, pipe-separated lists, ISRC); read as a pandas category so
  string work runs once per distinct value.
- ``int``: an integer column that is never empty in the real data.
- ``float``: a number that may be empty (read as float64, empty -> NaN).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["id", "category", "text", "int", "float"]

TRAIN = "train"
TEST = "test"
SONGS = "songs"
MEMBERS = "members"
EXTRA = "song_extra_info"
SUBMISSION = "sample_submission"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind


@dataclass(frozen=True)
class FileSpec:
    """One KKBOX CSV file: its name on disk and its columns in order."""

    table: str
    columns: tuple[Column, ...]

    @property
    def filename(self) -> str:
        return f"{self.table}.csv"

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def kind_of(self, name: str) -> Kind:
        return next(c.kind for c in self.columns if c.name == name)


SOURCE_COLUMNS = ("source_system_tab", "source_screen_name", "source_type")

_SOURCE = tuple(Column(name, "category") for name in SOURCE_COLUMNS)

TRAIN_SPEC = FileSpec(
    TRAIN,
    (Column("msno", "id"), Column("song_id", "id"), *_SOURCE, Column("target", "int")),
)
TEST_SPEC = FileSpec(
    TEST,
    (Column("id", "int"), Column("msno", "id"), Column("song_id", "id"), *_SOURCE),
)
SONGS_SPEC = FileSpec(
    SONGS,
    (
        Column("song_id", "id"),
        Column("song_length", "float"),
        Column("genre_ids", "text"),
        Column("artist_name", "text"),
        Column("composer", "text"),
        Column("lyricist", "text"),
        Column("language", "float"),
    ),
)
MEMBERS_SPEC = FileSpec(
    MEMBERS,
    (
        Column("msno", "id"),
        Column("city", "int"),
        Column("bd", "int"),
        Column("gender", "category"),
        Column("registered_via", "int"),
        Column("registration_init_time", "int"),
        Column("expiration_date", "int"),
    ),
)
EXTRA_SPEC = FileSpec(
    EXTRA,
    (Column("song_id", "id"), Column("name", "text"), Column("isrc", "text")),
)
SUBMISSION_SPEC = FileSpec(SUBMISSION, (Column("id", "int"), Column("target", "float")))

# The five input files, in the order a user would think of them.
INPUT_SPECS: tuple[FileSpec, ...] = (TRAIN_SPEC, TEST_SPEC, SONGS_SPEC, MEMBERS_SPEC, EXTRA_SPEC)
SPECS: dict[str, FileSpec] = {s.table: s for s in (*INPUT_SPECS, SUBMISSION_SPEC)}

# Columns a consolidated (joined) row carries beyond the play itself.
SONG_FIELDS = tuple(c.name for c in SONGS_SPEC.columns if c.name != "song_id")
EXTRA_FIELDS = tuple(c.name for c in EXTRA_SPEC.columns if c.name != "song_id")
MEMBER_FIELDS = tuple(c.name for c in MEMBERS_SPEC.columns if c.name != "msno")

# Value sets of the full data set (../shared/kkbox-sample/README.md). "" is an empty field.
SOURCE_SYSTEM_TABS = (
    "discover", "explore", "listen with", "my library", "notification",
    "null", "radio", "search", "settings", "",
)
SOURCE_SCREEN_NAMES = (
    "Album more", "Artist more", "Concert", "Discover Chart", "Discover Feature",
    "Discover Genre", "Discover New", "Explore", "Local playlist more", "My library",
    "My library_Search", "Online playlist more", "Others profile more", "Payment", "Radio",
    "Search", "Search Home", "Search Trends", "Self profile more", "Unknown", "",
)
TEST_ONLY_SCREEN_NAMES = ("People global", "People local")
SOURCE_TYPES = (
    "album", "artist", "listen-with", "local-library", "local-playlist", "my-daily-playlist",
    "online-playlist", "radio", "song", "song-based-playlist", "top-hits-for-artist",
    "topic-article-playlist", "",
)
CITIES = (1, *range(3, 23))
GENDERS = ("male", "female", "")
REGISTERED_VIA = (3, 4, 7, 9, 13, 16)
LANGUAGES = (-1, 3, 10, 17, 24, 31, 38, 45, 52, 59)

ID_LENGTH = 44

# The consolidated frame (encore.ingest.consolidate): after the play's own columns come these
# joined fields. Text-like fields are pandas categories, numbers float64 (NaN where missing).
_STRING_KINDS = ("id", "category", "text")
JOINED_FIELDS = (*SONG_FIELDS, *EXTRA_FIELDS, *MEMBER_FIELDS)
PLAY_CATEGORY_COLUMNS = ("msno", "song_id", *SOURCE_COLUMNS)
JOINED_CATEGORY_COLUMNS = tuple(
    c.name
    for spec in (SONGS_SPEC, EXTRA_SPEC, MEMBERS_SPEC)
    for c in spec.columns
    if c.kind in _STRING_KINDS and c.name in JOINED_FIELDS
)
JOINED_NUMBER_COLUMNS = tuple(
    name for name in JOINED_FIELDS if name not in JOINED_CATEGORY_COLUMNS
)
