"""The catalogue saved with a version: fields by id, and songs a listener has not played."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from encore.artifacts import load_version, read_manifest
from encore.catalogue import Catalogue, build_catalogue, read_catalogue, write_catalogue
from encore.errors import EncoreError
from encore.ingest import TRAINING_TABLES, consolidate, load_dataset
from encore.model import ModelConfig
from encore.pipeline import train_version
from encore.schema import TEST


@pytest.fixture(scope="module")
def plays(trained_data: Path) -> pd.DataFrame:
    dataset = load_dataset(trained_data, required=TRAINING_TABLES, skip=(TEST,))
    return consolidate(dataset.train, dataset)


@pytest.fixture(scope="module")
def catalogue(plays: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    folder = tmp_path_factory.mktemp("catalogue")
    write_catalogue(folder, build_catalogue(plays, popular_songs=200))
    return Catalogue(read_catalogue(folder))


def test_left_out_fields_come_from_the_catalogue_and_given_ones_stay(
    plays: pd.DataFrame, catalogue: Catalogue
) -> None:
    first = plays.iloc[0]
    row = {"msno": str(first["msno"]), "song_id": str(first["song_id"]), "city": 21.0}
    filled = catalogue.complete(row)
    assert filled["city"] == 21.0
    assert filled["artist_name"] == first["artist_name"]
    assert filled["song_length"] == first["song_length"]
    assert filled["bd"] == first["bd"]


def test_unknown_ids_leave_the_fields_missing(catalogue: Catalogue) -> None:
    filled = catalogue.complete({"msno": "new-listener", "song_id": "new-song"})
    assert not catalogue.knows_song("new-song") and not catalogue.knows_member("new-listener")
    assert filled["artist_name"] is None and filled["bd"] is None


def test_candidates_are_popular_songs_the_listener_has_not_played(
    plays: pd.DataFrame, catalogue: Catalogue
) -> None:
    listener = str(plays["msno"].value_counts().index[0])
    heard = set(plays.loc[plays["msno"] == listener, "song_id"].astype(str))
    candidates = catalogue.unplayed_popular(listener, 20)
    assert len(candidates) == 20 and not heard & set(candidates)
    assert set(candidates) <= set(catalogue.popular)
    assert catalogue.unplayed_popular("new-listener", 5) == catalogue.popular[:5]


def test_every_version_carries_its_catalogue_under_the_manifest(
    trained_data: Path, tmp_path: Path
) -> None:
    config = ModelConfig(max_epochs=1, batch_size=512, hidden=(16, 8), embedding_dim=4)
    folder = train_version(trained_data, tmp_path, config)
    assert "catalogue/songs.csv.gz" in read_manifest(folder)["files"]
    assert Catalogue(read_catalogue(folder)).knows_song(
        str(pd.read_csv(trained_data / "train.csv", nrows=1)["song_id"][0])
    )
    members = folder / "catalogue" / "members.csv.gz"
    members.write_bytes(members.read_bytes()[:-10])
    with pytest.raises(EncoreError, match=r"members\.csv\.gz differs from its manifest"):
        load_version(folder)
