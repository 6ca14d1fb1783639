"""Generated rows get the same probability on every path as ``transform`` plus the network.

Rows mix known and unknown ids (songs and listeners without a training play too), missing
and given fields, unicode, every-field rows and fields that disagree with the catalogue. For
`encore predict` the rows become a data folder: test.csv, and songs.csv, members.csv and
song_extra_info.csv holding the catalogue's rows with each row's own fields written over them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from encore.jobs import ModelRegistry
from encore.schema import GENDERS, SOURCE_SCREEN_NAMES, SOURCE_SYSTEM_TABS, SOURCE_TYPES
from encore.settings import Settings
from encore_api.app import create_app
from tests.api.agreement import batch, offline, one_by_one, reference

SONG_FIELDS = ("song_length", "genre_ids", "artist_name", "composer", "lyricist", "language",
               "isrc")  # fmt: skip
MEMBER_FIELDS = ("city", "bd", "gender", "registered_via", "registration_init_time",
                 "expiration_date")  # fmt: skip
TEXT = st.text(
    st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
).filter(lambda text: text.strip() == text and text not in ("NA", "NaN", "nan", "null"))


@pytest.fixture(scope="module")
def files(trained_data: Path) -> dict[str, pd.DataFrame]:
    return {
        name: pd.read_csv(trained_data / f"{name}.csv", dtype=str, keep_default_na=False)
        for name in ("train", "songs", "members", "song_extra_info")
    }


@pytest.fixture(scope="module")
def api(versions: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    artifacts = tmp_path_factory.mktemp("agreement-api")
    config = Settings(artifacts_dir=artifacts, data_dir=artifacts, database_url=None,
                      redis_url=None)  # fmt: skip
    with TestClient(create_app(config)) as client:
        ModelRegistry(config.records_url()).register(versions[0])
        client.app.state.encore.predictor.refresh()  # type: ignore[attr-defined]
        yield client


def _dates() -> st.SearchStrategy[int]:
    days = st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31))
    return days.map(lambda day: day.year * 10_000 + day.month * 100 + day.day)


def _song_fields(data: st.DataObject, files: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Some of a song's fields: random values, or those of another catalogue song."""
    other = files["songs"].iloc[data.draw(st.integers(0, len(files["songs"]) - 1))]
    values = {
        "song_length": st.one_of(st.integers(0, 100_000_000), st.just(int(other["song_length"]))),
        "genre_ids": st.one_of(TEXT, st.sampled_from(["465", "465|1609", other["genre_ids"]])),
        "artist_name": st.one_of(TEXT, st.just(other["artist_name"]), st.just("A feat. B")),
        "composer": st.one_of(TEXT, st.just(other["artist_name"])),
        "lyricist": st.one_of(TEXT, st.just(other["lyricist"])),
        "language": st.one_of(st.sampled_from([-1.0, 3.0, 52.0]), st.floats(-1, 1_000)),
        "isrc": st.one_of(TEXT, st.from_regex(r"[A-Z]{2}[A-Z0-9]{3}[0-9]{7}", fullmatch=True)),
    }
    chosen = data.draw(st.sets(st.sampled_from(sorted(values))))
    drawn = {name: data.draw(values[name]) for name in sorted(chosen)}
    return {name: value for name, value in drawn.items() if value not in ("", None)}


def _member_fields(data: st.DataObject, complete: bool) -> dict[str, Any]:
    """Member fields: every one of them (members.csv needs its integers), or some."""
    values = {
        "city": st.integers(0, 1_000),
        "bd": st.integers(-10_000, 10_000),
        "gender": st.one_of(st.sampled_from([g for g in GENDERS if g]), TEXT),
        "registered_via": st.integers(0, 1_000),
        "registration_init_time": _dates(),
        "expiration_date": _dates(),
    }
    chosen = set(values) if complete else data.draw(st.sets(st.sampled_from(sorted(values))))
    return {name: data.draw(values[name]) for name in sorted(chosen)}


def _source(data: st.DataObject, known: tuple[str, ...]) -> str | None:
    choice: str | None = data.draw(
        st.one_of(st.none(), st.sampled_from([v for v in known if v]), TEXT)
    )
    return choice


def _row(data: st.DataObject, files: dict[str, pd.DataFrame]) -> dict[str, Any]:
    songs, members = files["songs"]["song_id"], files["members"]["msno"]
    song = data.draw(st.one_of(st.sampled_from(list(songs)), TEXT.map(lambda t: "song " + t)))
    listener = data.draw(
        st.one_of(st.sampled_from(list(members)), TEXT.map(lambda t: "listener " + t))
    )
    row: dict[str, Any] = {"msno": listener, "song_id": song}
    for name, known in zip(
        ("source_system_tab", "source_screen_name", "source_type"),
        (SOURCE_SYSTEM_TABS, SOURCE_SCREEN_NAMES, SOURCE_TYPES),
        strict=True,
    ):
        value = _source(data, known)
        if value is not None:
            row[name] = value
    if data.draw(st.booleans()):
        row |= _song_fields(data, files)
    if data.draw(st.booleans()):
        row |= _member_fields(data, complete=listener not in set(members))
    return row


def _consistent(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A file gives one set of fields per song and per listener: rows that share an id take
    the first such row's fields (the API would take differing ones; files cannot)."""
    first: dict[tuple[str, str], dict[str, Any]] = {}
    out = []
    for row in rows:
        fixed = {key: value for key, value in row.items()
                 if key not in (*SONG_FIELDS, *MEMBER_FIELDS)}  # fmt: skip
        for key, fields in (("song_id", SONG_FIELDS), ("msno", MEMBER_FIELDS)):
            own = first.setdefault((key, row[key]), {f: row[f] for f in fields if f in row})
            fixed |= own
        out.append(fixed)
    return out


def _folder(rows: list[dict[str, Any]], files: dict[str, pd.DataFrame], folder: Path) -> None:
    """test.csv of the rows; the side files with each row's fields written over them."""
    test = pd.DataFrame(rows).reindex(columns=["msno", "song_id", "source_system_tab",
                                               "source_screen_name", "source_type"])  # fmt: skip
    test.insert(0, "id", range(len(rows)))
    test.to_csv(folder / "test.csv", index=False)
    sides = (("songs", "song_id", SONG_FIELDS[:-1]), ("song_extra_info", "song_id", ("isrc",)),
             ("members", "msno", MEMBER_FIELDS))  # fmt: skip
    for name, key, fields in sides:
        table = files[name].set_index(key)
        for row in rows:
            given = {field: row[field] for field in fields if field in row}
            if given and row[key] not in table.index:
                table.loc[row[key]] = ""
            for field, value in given.items():
                table.loc[row[key], field] = str(value)
        table.reset_index().to_csv(folder / f"{name}.csv", index=False)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_path_gives_transforms_probability(
    data: st.DataObject,
    files: dict[str, pd.DataFrame],
    api: TestClient,
    versions: list[Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    rows = _consistent([_row(data, files) for _ in range(data.draw(st.integers(1, 12)))])
    folder = tmp_path_factory.mktemp("generated-rows")
    _folder(rows, files, folder)
    expected = reference(versions[0], folder)
    np.testing.assert_allclose(batch(api, rows), expected, rtol=0, atol=1e-6)
    np.testing.assert_allclose(one_by_one(api, rows), expected, rtol=0, atol=1e-6)
    np.testing.assert_allclose(offline(versions[0], folder, folder / "sub.csv"), expected,
                               rtol=0, atol=1e-6)  # fmt: skip
