"""How values, quirks and layouts of a readable file come out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from encore.ingest import IngestError, load_dataset

MakeFolder = Callable[..., Path]  # the make_folder fixture (tests/ingest/conftest.py)


def test_null_is_a_value_and_an_empty_field_is_missing(make_folder: MakeFolder) -> None:
    train = load_dataset(make_folder()).train

    assert train["source_system_tab"].tolist()[:2] == ["my library", "null"]
    assert pd.isna(train["source_screen_name"][1])
    assert pd.isna(train["source_system_tab"][2])


def test_quoted_fields_keep_commas_doubled_quotes_and_line_breaks(make_folder: MakeFolder) -> None:
    dataset = load_dataset(make_folder())

    assert dataset.songs["artist_name"][1] == 'Quote "Q" Band'
    assert dataset.extra["name"].tolist() == ["Two\nlines, and a comma", "Plain"]


def test_quote_closed_lines_later_makes_one_record_as_the_csv_module_counts(
    make_folder: MakeFolder,
) -> None:
    # The real song_extra_info.csv has such a name, 149 lines long.
    extra = 'song_id,name,isrc\nS2,"Opened,I2\nS3,Fine,I3\nS4,"Odd" one,I4\n'

    names = load_dataset(make_folder(song_extra_info=extra)).extra["name"].tolist()

    assert names == ['Opened,I2\nS3,Fine,I3\nS4,Odd" one']


def test_a_last_record_without_a_line_break_is_refused_however_whole_it_looks(
    make_folder: MakeFolder,
) -> None:
    """A cut after the last comma ("...,,,3" cut to "...,,,") parses as a whole record with
    an empty last field: only the missing line break tells, so it is refused."""
    songs = "song_id,song_length,genre_ids,artist_name,composer,lyricist,language\nS1,1,,A,,,"

    with pytest.raises(IngestError, match=r"songs\.csv, line 2, column language: the file ends"):
        load_dataset(make_folder(songs=songs))


def test_extra_columns_are_ignored_and_column_order_is_free(make_folder: MakeFolder) -> None:
    members = (
        "note,expiration_date,registration_init_time,registered_via,gender,bd,city,msno\n"
        "vip,20170920,20110820,7,,0,1,U1\n"
    )

    frame = load_dataset(make_folder(members=members)).members

    assert frame.columns.tolist() == [
        "msno", "city", "bd", "gender", "registered_via",
        "registration_init_time", "expiration_date",
    ]  # fmt: skip
    assert frame.drop(columns="gender").iloc[0].tolist() == ["U1", 1, 0, 7, 20110820, 20170920]


def test_windows_line_endings_a_bom_and_blank_lines_read_the_same(
    make_folder: MakeFolder,
) -> None:
    folder = make_folder()
    plain = load_dataset(folder)
    lines = (folder / "train.csv").read_text().splitlines()
    train = "\r\n".join([*lines[:2], "", *lines[2:], ""])
    extra = "\ufeff" + (folder / "song_extra_info.csv").read_text()

    odd = load_dataset(make_folder(train=train, song_extra_info=extra))

    pd.testing.assert_frame_equal(odd.train, plain.train)
    pd.testing.assert_frame_equal(odd.extra, plain.extra)


def test_dtypes_follow_the_column_kinds(make_folder: MakeFolder) -> None:
    dataset = load_dataset(make_folder())
    assert dataset.test is not None

    assert dataset.train["target"].dtype == "int8"
    assert dataset.test["id"].dtype == "int64"
    assert (dataset.members[["city", "bd", "expiration_date"]].dtypes == "int64").all()
    assert (dataset.songs[["song_length", "language"]].dtypes == "float64").all()
    assert all(
        isinstance(dataset.songs[name].dtype, pd.CategoricalDtype)
        for name in ("song_id", "genre_ids", "artist_name", "composer", "lyricist")
    )
