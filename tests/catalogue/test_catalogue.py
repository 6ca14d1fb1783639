"""The catalogue written with a version: every song and listener of the data set, coded once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from encore.artifacts import LoadedModel, load_version, read_manifest
from encore.catalogue import Columns
from encore.errors import EncoreError
from encore.ingest import TRAINING_TABLES, consolidate, load_dataset
from encore.schema import TEST
from tests.conftest import Trained


@pytest.fixture(scope="module")
def loaded(trained: Trained, tmp_path_factory: pytest.TempPathFactory) -> LoadedModel:
    return load_version(trained.write(tmp_path_factory.mktemp("catalogue")))


@pytest.fixture(scope="module")
def plays(trained_data: Path) -> pd.DataFrame:
    dataset = load_dataset(trained_data, required=TRAINING_TABLES, skip=(TEST,))
    return consolidate(dataset.train, dataset)


def _ids(data: Path, file: str, column: str) -> list[str]:
    ids: list[str] = pd.read_csv(data / file, usecols=[column], dtype=str)[column].tolist()
    return ids


def test_every_song_and_listener_of_the_files_is_known(
    loaded: LoadedModel, trained_data: Path
) -> None:
    songs = set(_ids(trained_data, "songs.csv", "song_id"))
    members = set(_ids(trained_data, "members.csv", "msno"))
    played = set(_ids(trained_data, "train.csv", "song_id"))
    assert songs - played, "the tiny set has catalogue songs nobody played"
    for song in list(songs - played)[:50] + list(played)[:50]:
        assert loaded.catalogue.knows("song", song)
    for member in list(members)[:100]:
        assert loaded.catalogue.knows("member", member)
    assert not loaded.catalogue.knows("song", "a song nobody has heard of")


def test_ids_alone_score_as_the_joined_rows_do(loaded: LoadedModel, plays: pd.DataFrame) -> None:
    bare = plays[["msno", "song_id", "source_system_tab", "source_screen_name", "source_type"]]
    joined = loaded.probabilities(Columns.of_frame(plays))
    np.testing.assert_array_equal(loaded.probabilities(Columns.of_frame(bare)), joined)


def test_a_stored_part_is_what_the_processor_derives(
    loaded: LoadedModel, plays: pd.DataFrame
) -> None:
    expected = loaded.processor.transform(plays.head(300))
    got = loaded.resolver.matrix(Columns.of_frame(plays.head(300)))
    np.testing.assert_array_equal(got.categorical, expected.categorical)
    np.testing.assert_allclose(got.numeric, expected.numeric, rtol=0, atol=1e-6)


def test_a_known_song_is_read_not_derived(
    loaded: LoadedModel, plays: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    derived: list[str] = []
    part = type(loaded.processor).part

    def counted(self: Any, name: Any, table: pd.DataFrame) -> Any:
        derived.append(name)
        return part(self, name, table)

    monkeypatch.setattr(type(loaded.processor), "part", counted)
    loaded.probabilities(Columns.of_frame(plays.head(200)))
    assert "song" not in derived and "member" not in derived
    changed = plays.head(1).assign(artist_name="Somebody Else")
    loaded.probabilities(Columns.of_frame(changed))
    assert derived[-1:] == ["song"]


def test_unknown_ids_share_one_part(loaded: LoadedModel, plays: pd.DataFrame) -> None:
    rows = [{"msno": f"new listener {i}", "song_id": f"new song {i}"} for i in range(3)]
    matrix = loaded.resolver.matrix(Columns.of_records(rows))
    assert (matrix.categorical == matrix.categorical[0]).all()
    assert (matrix.numeric == matrix.numeric[0]).all()
    frame = pd.DataFrame(rows, columns=plays.columns).astype({"song_length": float})
    expected = loaded.processor.transform(frame)
    np.testing.assert_array_equal(matrix.categorical, expected.categorical)
    np.testing.assert_allclose(matrix.numeric, expected.numeric, rtol=0, atol=1e-6)


def test_the_catalogue_is_covered_by_the_manifest(trained: Trained, tmp_path: Path) -> None:
    folder = trained.write(tmp_path)
    assert "catalogue/song/numeric.npy" in read_manifest(folder)["files"]
    numeric = folder / "catalogue" / "song" / "numeric.npy"
    numeric.write_bytes(numeric.read_bytes()[:-10])
    with pytest.raises(EncoreError, match=r"numeric\.npy differs from its manifest"):
        load_version(folder)
