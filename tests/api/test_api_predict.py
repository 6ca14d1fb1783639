"""Prediction over HTTP: the same answers as offline scoring, fields filled from the catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from encore.artifacts import load_version
from encore.ingest import TRAINING_TABLES, consolidate, load_dataset
from encore.schema import TEST
from encore.training import predict_proba


def _offline(version: Path, data_dir: Path) -> list[float]:
    """What `encore predict` would say for the last twenty train.csv rows."""
    dataset = load_dataset(data_dir, required=TRAINING_TABLES, skip=(TEST,))
    plays = consolidate(dataset.train.tail(20), dataset)
    loaded = load_version(version)
    return [float(p) for p in predict_proba(loaded.model, loaded.processor.transform(plays))]


def test_a_batch_gets_the_offline_answers_in_order(
    client: TestClient, valid_rows: list[dict[str, Any]], versions: list[Path], trained_data: Path
) -> None:
    response = client.post("/predict", json={"rows": valid_rows})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["model_version"] == versions[0].name
    probabilities = [p["probability"] for p in body["predictions"]]
    assert probabilities == pytest.approx(_offline(versions[0], trained_data), abs=1e-6)
    assert [p["label"] for p in body["predictions"]] == [int(p >= 0.5) for p in probabilities]


def test_left_out_song_and_member_fields_come_from_the_catalogue(
    client: TestClient, valid_rows: list[dict[str, Any]], versions: list[Path], trained_data: Path
) -> None:
    bare = [{key: row[key] for key in ("msno", "song_id")} | _sources(row) for row in valid_rows]
    response = client.post("/predict", json={"rows": bare})
    probabilities = [p["probability"] for p in response.json()["predictions"]]
    assert probabilities == pytest.approx(_offline(versions[0], trained_data), abs=1e-6)


def test_one_row_answers_as_in_a_batch(
    client: TestClient, valid_rows: list[dict[str, Any]]
) -> None:
    batch = client.post("/predict", json={"rows": valid_rows[:3]}).json()
    for row, expected in zip(valid_rows[:3], batch["predictions"], strict=True):
        one = client.post("/predict/one", json=row).json()
        assert one["probability"] == pytest.approx(expected["probability"], abs=1e-7)
        assert one["label"] == expected["label"]
        assert one["model_version"] == batch["model_version"]


def test_unknown_listeners_and_songs_are_scored(client: TestClient) -> None:
    response = client.post("/predict/one", json={"msno": "new listener ✨", "song_id": "新歌"})
    assert response.status_code == 200
    assert 0 < response.json()["probability"] < 1


def test_a_large_batch_takes_torchs_forward_pass_and_agrees(
    client: TestClient, valid_rows: list[dict[str, Any]]
) -> None:
    # Full rows and bare ones (ids and sources: the catalogue fills in the rest).
    bare = [{key: row[key] for key in ("msno", "song_id")} | _sources(row) for row in valid_rows]
    mixed = valid_rows + bare
    rows = mixed * 51  # 2,040 rows: above numpy's forward pass's limit (2,000)
    big = client.post("/predict", json={"rows": rows}).json()["predictions"]
    small = client.post("/predict", json={"rows": mixed}).json()["predictions"]
    assert [p["probability"] for p in big[: len(mixed)]] == pytest.approx(
        [p["probability"] for p in small], abs=1e-6
    )


def test_without_an_active_model_prediction_is_503_saying_why(make_client: Any) -> None:
    client = make_client(register=0)
    response = client.post("/predict/one", json={"msno": "a", "song_id": "b"})
    assert response.status_code == 503
    assert "no model version is active yet" in response.json()["message"]


def test_recommendations_are_unplayed_songs_with_their_sources(
    client: TestClient, trained_data: Path
) -> None:
    plays = pd.read_csv(trained_data / "train.csv")
    listener = plays["msno"].value_counts().index[0]
    response = client.post("/recommend", json={"msno": listener, "k": 500})
    assert response.status_code == 200, response.text
    songs = response.json()["recommendations"]
    assert len(songs) == 500 and len({s["song_id"] for s in songs}) == 500
    assert not {s["song_id"] for s in songs} & set(plays.loc[plays["msno"] == listener, "song_id"])
    assert {s["source"] for s in songs} <= {"co-listening", "artist", "taste", "popularity"}
    assert all(0 < s["candidate_score"] <= 1 and 0 < s["probability"] < 1 for s in songs)
    too_many = client.post("/recommend", json={"msno": listener, "k": 501})
    assert too_many.status_code == 422 and "k" in too_many.json()["message"]


def test_a_member_without_plays_gets_songs_of_their_profile_or_the_most_played(
    client: TestClient, trained_data: Path
) -> None:
    plays = pd.read_csv(trained_data / "train.csv", dtype=str)
    members = pd.read_csv(trained_data / "members.csv", dtype=str)["msno"]
    cold = members[~members.isin(plays["msno"])].tolist()
    sources = set()
    for msno in cold[:15]:
        answer = client.post("/recommend", json={"msno": msno, "k": 10}).json()
        sources |= {s["source"] for s in answer["recommendations"]}
    assert "profile" in sources and sources <= {"profile", "popularity"}


def test_recommendations_among_given_candidates_rank_as_predict_scores(
    client: TestClient, trained_data: Path
) -> None:
    plays = pd.read_csv(trained_data / "train.csv", dtype=str)
    listener, songs = plays["msno"].iloc[0], [*plays["song_id"].unique()[:40], "new song"]
    context = {"source_type": "online-playlist"}
    rows = [{"msno": listener, "song_id": song, **context} for song in songs]
    predicted = [p["probability"] for p in client.post("/predict", json={"rows": rows}).json()[
        "predictions"]]  # fmt: skip
    body = {"msno": listener, "k": 10, "candidates": songs, **context}
    answer = client.post("/recommend", json=body).json()["recommendations"]
    best = sorted(range(len(songs)), key=lambda i: -predicted[i])[:10]
    assert [s["song_id"] for s in answer] == [songs[i] for i in best]
    assert [s["probability"] for s in answer] == [predicted[i] for i in best]
    assert {s["source"] for s in answer} == {"given"}


def _sources(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("source_system_tab", "source_screen_name", "source_type")
    return {key: row[key] for key in keys if key in row}
