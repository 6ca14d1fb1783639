"""Recommendation candidates stored with a version: unplayed songs, profile lists for
listeners without plays, and the same arrays after a write and a load."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from encore.artifacts import LoadedModel, load_version, read_manifest
from encore.catalogue.stored_candidates import candidate_arrays
from encore.errors import EncoreError
from encore.scoring.recommend import candidates_of, recommend, scored
from tests.conftest import Trained


@pytest.fixture(scope="module")
def loaded(trained: Trained, tmp_path_factory: pytest.TempPathFactory) -> LoadedModel:
    return load_version(trained.write(tmp_path_factory.mktemp("recommend")))


@pytest.fixture(scope="module")
def plays(trained_data: Path) -> pd.DataFrame:
    return pd.read_csv(trained_data / "train.csv", usecols=["msno", "song_id"], dtype=str)


def _ids(loaded: LoadedModel, rows: np.ndarray) -> list[str]:
    keys = loaded.catalogue.parts["song"].keys
    assert keys is not None
    return [song.decode() for song in keys.keys[rows].tolist()]


def test_candidates_never_hold_a_played_song_unless_asked(
    loaded: LoadedModel, plays: pd.DataFrame
) -> None:
    heard = plays.groupby("msno")["song_id"].apply(set)
    for msno in heard.index[:60]:
        pool = candidates_of(loaded, msno)
        assert len(pool) > 0 and not heard[msno] & set(_ids(loaded, pool.songs)), msno
    listener = heard.map(len).idxmax()
    asked = recommend(loaded, listener, 500, include_played=True)
    played = {pick.song_id for pick in asked if pick.source == "played"}
    assert played == heard[listener]
    assert not {pick.song_id for pick in asked if pick.source != "played"} & heard[listener]


def test_a_listener_without_plays_gets_their_profiles_most_played(
    loaded: LoadedModel, plays: pd.DataFrame, trained_data: Path
) -> None:
    members = pd.read_csv(trained_data / "members.csv", dtype={"msno": str})
    members["band"] = np.where((members["bd"] > 0) & (members["bd"] <= 100),
                               members["bd"].clip(upper=69) // 10, -1)  # fmt: skip
    joined = plays.merge(members, on="msno")
    everyone = joined["song_id"].value_counts()
    cold = members[~members["msno"].isin(plays["msno"])]
    differs = 0
    for _, member in cold.iterrows():
        same = joined[(joined["city"] == member["city"]) & (joined["band"] == member["band"])]
        if len(same) < 50:
            continue
        counts = same["song_id"].value_counts()
        picks = recommend(loaded, member["msno"], 20)
        assert {pick.source for pick in picks} == {"profile"}
        pool = candidates_of(loaded, member["msno"])
        listed = _ids(loaded, pool.songs[:20])
        assert sorted(counts[listed], reverse=True) == counts.head(20).tolist()
        differs += sorted(everyone[listed], reverse=True) != everyone.head(20).tolist()
    assert differs, "no listener without plays had a profile list unlike everyone's"
    stranger = _ids(loaded, candidates_of(loaded, "a listener nobody knows").songs[:20])
    assert sorted(everyone[stranger], reverse=True) == everyone.head(20).tolist()


def test_the_candidates_survive_a_write_and_a_load(trained: Trained, loaded: LoadedModel) -> None:
    assert trained.data.catalogue is not None
    tables = trained.data.catalogue
    expected = candidate_arrays(tables.plays, tables.tables["song"], tables.tables["member"])
    folder = loaded.path / "catalogue" / "recommend"
    for name, array in expected.items():
        np.testing.assert_array_equal(np.load(folder / f"{name}.npy"), array, err_msg=name)
    recommendations = loaded.catalogue.recommendations
    np.testing.assert_array_equal(recommendations.pools.songs.values, expected["pool.songs"])
    assert "catalogue/recommend/pool.songs.npy" in read_manifest(loaded.path)["files"]


def test_a_damaged_pool_is_refused(trained: Trained, tmp_path: Path) -> None:
    folder = trained.write(tmp_path)
    pool = folder / "catalogue" / "recommend" / "pool.scores.npy"
    pool.write_bytes(pool.read_bytes()[:-8])
    with pytest.raises(EncoreError, match=r"pool\.scores\.npy differs from its manifest"):
        load_version(folder)


def test_a_version_from_before_the_stored_candidates_recommends_the_most_played(
    trained: Trained, plays: pd.DataFrame, tmp_path: Path
) -> None:
    """Such a version has catalogue/popular.csv (the most played songs) and no recommend/."""
    folder = trained.write(tmp_path)
    shutil.rmtree(folder / "catalogue" / "recommend")
    counts = plays["song_id"].value_counts().head(2_000)
    popular = pd.DataFrame({"song_id": counts.index, "plays": counts.to_numpy()})
    popular.to_csv(folder / "catalogue" / "popular.csv", index=False)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"] = {name: entry for name, entry in manifest["files"].items()
                         if "/recommend/" not in name}  # fmt: skip
    (folder / "manifest.json").write_text(json.dumps(manifest))
    old = load_version(folder)
    listener = plays["msno"].iloc[0]
    pool = candidates_of(old, listener)
    assert _ids(old, pool.songs[:50]) == counts.index[:50].tolist()
    assert {pick.source for pick in recommend(old, listener, 10)} == {"popularity"}


def test_the_diversity_rule_holds_back_an_artists_extra_songs(
    loaded: LoadedModel, plays: pd.DataFrame, trained_data: Path
) -> None:
    artist_of = pd.read_csv(trained_data / "songs.csv", dtype=str).set_index("song_id")[
        "artist_name"]  # fmt: skip
    listener = plays["msno"].value_counts().index[0]
    ranked = scored(loaded, listener, candidates_of(loaded, listener), {})
    plain = [ranked.ids[i] for i in ranked.order()]
    diverse = [ranked.ids[i] for i in ranked.order(per_artist=1)]
    assert sorted(diverse) == sorted(plain) and diverse != plain
    top = artist_of.reindex(diverse[:20]).dropna()
    assert top.is_unique and len(top) == 20
