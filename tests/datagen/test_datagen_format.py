"""Generated files follow the real KKBOX format (compared with the real sample rows)."""

from __future__ import annotations

import base64
import csv
import io
import re
from pathlib import Path

from generated_sets import TINY, generated, tables

from encore import schema

ID = re.compile(r"^[A-Za-z0-9+/]{43}=$")
GENRES = re.compile(r"^\d+(\|\d+){0,7}$")
ISRC = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}\d{7}$")
DATE = re.compile(r"^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$")
INPUT_FILES = ("train", "test", "songs", "members", "song_extra_info")


def _header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def test_headers_match_the_real_files(sample_dir: Path) -> None:
    for name in INPUT_FILES:
        assert _header(generated(*TINY) / f"{name}.csv") == _header(sample_dir / f"{name}.csv"), (
            name
        )
    assert _header(generated(*TINY) / "sample_submission.csv") == ["id", "target"]


def test_every_row_has_as_many_fields_as_the_header() -> None:
    for name, table in tables(*TINY).items():
        assert all(len(row) == len(table.header) for row in table.rows), name


def test_ids_are_44_character_base64_ending_in_equals() -> None:
    ids = [
        *tables(*TINY)["train"].col("msno"),
        *tables(*TINY)["test"].col("song_id"),
        *tables(*TINY)["songs"].col("song_id"),
        *tables(*TINY)["members"].col("msno"),
        *tables(*TINY)["song_extra_info"].col("song_id"),
    ]
    assert all(ID.match(value) for value in ids)
    assert {len(base64.b64decode(value)) for value in ids} == {32}
    assert len(set(tables(*TINY)["members"].col("msno"))) == len(tables(*TINY)["members"].rows)


def test_source_fields_stay_within_the_real_value_sets() -> None:
    sets = dict(
        zip(
            schema.SOURCE_COLUMNS,
            (schema.SOURCE_SYSTEM_TABS, schema.SOURCE_SCREEN_NAMES, schema.SOURCE_TYPES),
            strict=True,
        )
    )
    for name, allowed in sets.items():
        assert set(tables(*TINY)["train"].col(name)) <= set(allowed), name
        test_allowed = {*allowed, *schema.TEST_ONLY_SCREEN_NAMES}
        assert set(tables(*TINY)["test"].col(name)) <= test_allowed, name
    assert "local-library" in tables(*TINY)["train"].col("source_type")


def test_song_fields_have_the_real_formats() -> None:
    songs = tables(*TINY)["songs"]
    assert all(GENRES.match(g) for g in songs.col("genre_ids") if g)
    assert max(g.count("|") for g in songs.col("genre_ids")) == 7
    assert {int(v) for v in songs.col("language") if v} <= set(schema.LANGUAGES)
    lengths = [int(v) for v in songs.col("song_length")]
    assert min(lengths) == 1_393 and max(lengths) == 10_851_706
    assert 200_000 < sorted(lengths)[len(lengths) // 2] < 270_000


def test_isrc_codes_mostly_fit_the_pattern_and_a_few_do_not() -> None:
    codes = [c for c in tables(*TINY)["song_extra_info"].col("isrc") if c]
    misfits = [c for c in codes if not ISRC.match(c)]
    assert 1 <= len(misfits) <= max(3, len(codes) // 100)


def test_member_fields_have_the_real_formats() -> None:
    members = tables(*TINY)["members"]
    assert {int(v) for v in members.col("city")} <= set(schema.CITIES)
    assert {int(v) for v in members.col("registered_via")} <= set(schema.REGISTERED_VIA)
    assert set(members.col("gender")) <= set(schema.GENDERS)
    registered = members.col("registration_init_time")
    expires = members.col("expiration_date")
    assert all(DATE.match(v) for v in registered + expires)
    assert "19700101" in expires
    assert any(e < r for r, e in zip(registered, expires, strict=True))


def test_ages_have_the_real_outliers() -> None:
    ages = [int(v) for v in tables(*TINY)["members"].col("bd")]
    assert 0.45 < ages.count(0) / len(ages) < 0.7
    assert min(ages) < 0 and max(ages) > 100


def test_names_with_commas_quotes_and_line_breaks_round_trip() -> None:
    names = tables(*TINY)["song_extra_info"].col("name")
    assert any("," in n for n in names)
    assert any('"' in n for n in names)
    assert any("\n" in n for n in names)
    raw = (generated(*TINY) / "song_extra_info.csv").read_text(encoding="utf-8")
    assert '""' in raw and "\r" not in raw


def test_files_are_exactly_what_csv_quote_minimal_writes() -> None:
    for path in sorted(generated(*TINY).glob("*.csv")):
        original = path.read_bytes().decode("utf-8")
        rewritten = io.StringIO()
        writer = csv.writer(rewritten, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerows(csv.reader(io.StringIO(original, newline="")))
        assert rewritten.getvalue() == original, path.name


def test_credits_use_the_real_separators() -> None:
    songs = tables(*TINY)["songs"]
    credits = songs.col("composer") + songs.col("lyricist") + songs.col("artist_name")
    for separator in ("|  ", "| ", "/", " & "):
        assert any(separator in c for c in credits), separator
    assert any(re.search(r"[\u4e00-\u9fff]", c) for c in credits)
