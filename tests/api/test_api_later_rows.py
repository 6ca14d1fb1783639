"""Trained on the first 10,000 real sample rows, every path scores the 5,000 later rows alike,
listeners and songs without a training play included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from encore.jobs import ModelRegistry
from encore.pipeline import train_version
from encore.settings import Settings
from encore_api.app import create_app
from tests.api.agreement import SOURCES, batch, offline, one_by_one, reference
from tests.api.conftest import QUICK

TRAIN_ROWS = 10_000


@pytest.fixture(scope="module")
def later(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's first 10,000 plays as train.csv, the 5,000 after them as test.csv."""
    folder = tmp_path_factory.mktemp("later-rows")
    plays = pd.read_csv(sample_dir / "train.csv", dtype=str, keep_default_na=False)
    plays.head(TRAIN_ROWS).to_csv(folder / "train.csv", index=False)
    test = plays.iloc[TRAIN_ROWS:].drop(columns="target").reset_index(drop=True)
    test.insert(0, "id", range(len(test)))
    test.to_csv(folder / "test.csv", index=False)
    for name in ("songs.csv", "members.csv", "song_extra_info.csv"):
        (folder / name).symlink_to(sample_dir / name)
    return folder


@pytest.fixture(scope="module")
def version(later: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return train_version(later, tmp_path_factory.mktemp("later-artifacts"), QUICK)


@pytest.fixture(scope="module")
def api(version: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    artifacts = tmp_path_factory.mktemp("later-api")
    settings = Settings(artifacts_dir=artifacts, data_dir=artifacts, database_url=None,
                        redis_url=None)  # fmt: skip
    with TestClient(create_app(settings)) as client:
        ModelRegistry(settings.records_url()).register(version)
        client.app.state.encore.predictor.refresh()  # type: ignore[attr-defined]
        yield client


def _rows(later: Path) -> list[dict[str, Any]]:
    test = pd.read_csv(later / "test.csv", dtype=str, keep_default_na=False)
    rows = test.drop(columns="id").to_dict("records")
    return [{key: value for key, value in row.items() if value != ""} for row in rows]


def test_every_path_agrees_on_the_later_rows(
    later: Path, version: Path, api: TestClient, tmp_path: Path
) -> None:
    rows = _rows(later)
    trained = pd.read_csv(later / "train.csv", usecols=["msno", "song_id"], dtype=str)
    members = set(pd.read_csv(later / "members.csv", usecols=["msno"], dtype=str)["msno"])
    listeners, songs = set(trained["msno"]), set(trained["song_id"])
    cold_listener = [r["msno"] not in listeners for r in rows]
    cold_song = [r["song_id"] not in songs for r in rows]
    # Listeners with no training play whom members.csv knows: the catalogue must know them.
    assert sum(c and r["msno"] in members for c, r in zip(cold_listener, rows, strict=True)) > 100
    assert sum(cold_song) > 1_000
    expected = reference(version, later)
    np.testing.assert_allclose(batch(api, rows), expected, rtol=0, atol=1e-6)
    np.testing.assert_allclose(one_by_one(api, rows), expected, rtol=0, atol=1e-6)
    np.testing.assert_allclose(offline(version, later, tmp_path / "sub.csv"), expected, atol=1e-6)


def test_ids_and_sources_alone_get_the_same_answers(later: Path, api: TestClient) -> None:
    rows = _rows(later)[:500]
    bare = [{k: v for k, v in row.items() if k in ("msno", "song_id", *SOURCES)} for row in rows]
    assert bare == rows  # test.csv rows carry nothing else: the catalogue supplies the rest
    joined = pd.read_csv(later / "members.csv", dtype=str).set_index("msno")
    with_member = [row | _member_fields(joined, row["msno"]) for row in rows]
    np.testing.assert_allclose(batch(api, with_member), batch(api, rows), rtol=0, atol=1e-12)


def _member_fields(members: pd.DataFrame, msno: str) -> dict[str, Any]:
    if msno not in members.index:
        return {}
    record = members.loc[msno]
    fields: dict[str, Any] = {
        name: int(record[name])
        for name in ("city", "bd", "registered_via", "registration_init_time", "expiration_date")
    }
    if isinstance(record["gender"], str):
        fields["gender"] = record["gender"]
    return fields
