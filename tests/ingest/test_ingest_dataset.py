"""Which files a folder must hold, and what stands in for an absent optional one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from encore.ingest import PREDICTION_TABLES, IngestError, load_dataset

MakeFolder = Callable[..., Path]  # the make_folder fixture (tests/ingest/conftest.py)


def test_training_folder_without_test_and_extra_info_loads(make_folder: MakeFolder) -> None:
    dataset = load_dataset(make_folder(test=None, song_extra_info=None))

    assert dataset.test is None
    assert dataset.extra.empty
    assert dataset.extra.columns.tolist() == ["song_id", "name", "isrc"]
    assert dataset.present == {"train", "songs", "members"}


def test_prediction_folder_needs_test_but_not_train(make_folder: MakeFolder) -> None:
    dataset = load_dataset(make_folder(train=None), required=PREDICTION_TABLES)

    assert dataset.test is not None
    assert len(dataset.test) == 2
    assert dataset.train.empty
    assert dataset.train["target"].dtype == "int8"


def test_prediction_folder_without_test_is_refused(make_folder: MakeFolder) -> None:
    folder = make_folder(test=None)

    with pytest.raises(IngestError, match=r"^test\.csv: not found in .*needs test\.csv, songs"):
        load_dataset(folder, required=PREDICTION_TABLES)


def test_present_optional_file_is_still_validated(make_folder: MakeFolder) -> None:
    folder = make_folder(test="id,msno,song_id,source_system_tab,source_screen_name,source_type\n")

    with pytest.raises(IngestError, match=r"^test\.csv: no records"):
        load_dataset(folder)


def test_a_skipped_table_is_not_read_even_when_its_file_is_broken(make_folder: MakeFolder) -> None:
    dataset = load_dataset(make_folder(test="not,a,test,file\n"), skip=("test",))

    assert dataset.test is None
    assert dataset.present == {"train", "songs", "members", "song_extra_info"}
