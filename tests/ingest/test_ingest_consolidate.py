"""consolidate: one row per play, in order, with its song's, extra info's and listener's columns."""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from encore.ingest import consolidate, load_dataset

MakeFolder = Callable[..., Path]  # the make_folder fixture (tests/ingest/conftest.py)

PLAY_COLUMNS = [
    "msno", "song_id", "source_system_tab", "source_screen_name", "source_type", "target",
]  # fmt: skip
JOINED_COLUMNS = [
    "song_length", "genre_ids", "artist_name", "composer", "lyricist", "language",
    "name", "isrc",
    "city", "bd", "gender", "registered_via", "registration_init_time", "expiration_date",
]  # fmt: skip
CATEGORY = (
    "msno",
    "song_id",
    "source_system_tab",
    "source_screen_name",
    "source_type",
    "genre_ids",
    "artist_name",
    "composer",
    "lyricist",
    "name",
    "isrc",
    "gender",
)
FLOAT = ("song_length", "language", "city", "bd", "registered_via",
         "registration_init_time", "expiration_date")  # fmt: skip


def test_train_rows_get_contract_columns_and_dtypes(make_folder: MakeFolder) -> None:
    dataset = load_dataset(make_folder())

    frame = consolidate(dataset.train, dataset)

    assert frame.columns.tolist() == PLAY_COLUMNS + JOINED_COLUMNS
    assert all(isinstance(frame[name].dtype, pd.CategoricalDtype) for name in CATEGORY)
    assert (frame[list(FLOAT)].dtypes == "float64").all()
    assert frame["target"].dtype == "int8"


def test_joined_values_and_missing_joins(make_folder: MakeFolder) -> None:
    dataset = load_dataset(make_folder())

    frame = consolidate(dataset.train, dataset)

    first, second, unknown_song = (frame.iloc[i] for i in range(3))
    assert (first["artist_name"], first["language"], first["isrc"]) == (
        "TEDDY|  FUTURE BOUNCE", 31.0, "TWUM71200043",
    )  # fmt: skip
    assert pd.isna(first["composer"]) and pd.isna(first["gender"])
    assert (second["name"], second["gender"], second["bd"]) == ("Plain", "female", 24.0)
    assert pd.isna(second["isrc"])
    assert unknown_song[["song_length", "artist_name", "name", "isrc"]].isna().all()
    assert unknown_song["city"] == 1.0


def test_test_rows_with_unknown_listener_get_nan_member_fields(make_folder: MakeFolder) -> None:
    dataset = load_dataset(make_folder())
    assert dataset.test is not None

    frame = consolidate(dataset.test, dataset)

    assert frame.columns.tolist() == ["id", *PLAY_COLUMNS[:-1], *JOINED_COLUMNS]
    assert frame["id"].tolist() == [0, 1]
    assert frame.loc[1, ["city", "bd", "gender", "expiration_date"]].isna().all()
    assert frame.loc[1, "artist_name"] == "Solo"


def test_repeated_song_in_songs_uses_its_first_row(make_folder: MakeFolder) -> None:
    songs = (
        "song_id,song_length,genre_ids,artist_name,composer,lyricist,language\n"
        "S1,1000,465,First,,,3\n"
        "S1,2000,444,Second,,,10\n"
    )
    dataset = load_dataset(make_folder(songs=songs))

    frame = consolidate(dataset.train, dataset)

    assert len(frame) == 3
    assert (frame.loc[0, "artist_name"], frame.loc[0, "song_length"]) == ("First", 1000.0)


def test_order_is_kept_and_index_renumbered(make_folder: MakeFolder) -> None:
    dataset = load_dataset(make_folder())
    reordered = dataset.train.iloc[[2, 0, 1]]

    frame = consolidate(reordered, dataset)

    assert frame.index.tolist() == [0, 1, 2]
    assert frame["song_id"].tolist() == ["S9", "S1", "S2"]
    assert math.isnan(frame.loc[0, "song_length"])
    assert frame.loc[1, "song_length"] == 234000.0


def test_absent_extra_info_gives_nan_names(make_folder: MakeFolder) -> None:
    dataset = load_dataset(make_folder(song_extra_info=None))

    frame = consolidate(dataset.train, dataset)

    assert frame[["name", "isrc"]].isna().all().all()


def test_sample_train_keeps_every_row_and_only_found_songs_get_fields(sample_dir: Path) -> None:
    with (sample_dir / "train.csv").open(encoding="utf-8", newline="") as handle:
        song_ids = [row["song_id"] for row in csv.DictReader(handle)]
    with (sample_dir / "songs.csv").open(encoding="utf-8", newline="") as handle:
        known = {row["song_id"] for row in csv.DictReader(handle)}
    dataset = load_dataset(sample_dir)

    frame = consolidate(dataset.train, dataset)

    assert frame["song_id"].tolist() == song_ids
    found = np.array([song in known for song in song_ids])
    assert (frame["song_length"].notna().to_numpy() == found).all()
    assert 0.10 < found.mean() < 0.13  # the README's "about 11%"
    assert frame["city"].notna().all()


def test_train_and_test_share_categories_of_joined_text(sample_dir: Path) -> None:
    dataset = load_dataset(sample_dir)
    assert dataset.test is not None

    train, test = consolidate(dataset.train, dataset), consolidate(dataset.test, dataset)

    assert train["artist_name"].cat.categories.equals(test["artist_name"].cat.categories)
