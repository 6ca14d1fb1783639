"""The catalogue of bad requests: each gets a 4xx with a message, never a 5xx."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

JSON = {"content-type": "application/json"}
ROUTES = ("/predict/one", "/predict", "/recommend", "/train")

BAD_BODIES = {
    "invalid UTF-8": (b'{"msno": "\xff\xfe", "song_id": "b"}', JSON),
    "JSON nested 5,000 deep": (b'{"rows": ' + b"[" * 5000 + b"]" * 5000 + b"}", JSON),
    "truncated JSON": (b'{"rows": [{"msno": "a"', JSON),
    "plain text content type": (b'{"msno": "a", "song_id": "b"}', {"content-type": "text/plain"}),
    "no content type": (b'{"msno": "a", "song_id": "b"}', {}),
    "a form": (b"msno=a&song_id=b", {"content-type": "application/x-www-form-urlencoded"}),
    "an array": (b"[1, 2]", JSON),
    "null": (b"null", JSON),
    "empty": (b"", JSON),
    "1e400": (b'{"msno": "a", "song_id": "b", "bd": 1e400, "rows": [], "dataset": 1e400}', JSON),
    "a 30-digit integer": (b'{"msno": "a", "song_id": "b", "bd": 1' + b"0" * 29 + b"}", JSON),
}  # fmt: skip


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("case", BAD_BODIES, ids=str)
def test_a_bad_body_is_a_4xx_with_a_message(client: TestClient, route: str, case: str) -> None:
    body, headers = BAD_BODIES[case]
    response = client.post(route, content=body, headers=headers)
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["message"]


def test_a_hundred_thousand_rows_are_refused_by_count(client: TestClient) -> None:
    rows = [{"msno": "a", "song_id": "b"}] * 100_000
    response = client.post("/predict", content=json.dumps({"rows": rows}), headers=JSON)
    assert response.status_code == 413
    assert "at most 10,000 per request" in response.json()["message"]


def test_a_ten_megabyte_body_is_refused_by_size(client: TestClient) -> None:
    response = client.post("/predict", content=b" " * (10 * 1024 * 1024), headers=JSON)
    assert response.status_code == 413
    assert "larger than 8,388,608 bytes" in response.json()["message"]


@pytest.mark.parametrize("ident", ["🎵🎶", "歌手の歌", "a" * 200, "'; DROP TABLE jobs; --"])
def test_unicode_emoji_and_odd_ids_are_scored(client: TestClient, ident: str) -> None:
    response = client.post("/predict/one", json={"msno": ident, "song_id": ident})
    assert response.status_code == 200 and 0 < response.json()["probability"] < 1


def test_an_id_longer_than_200_characters_is_refused(client: TestClient) -> None:
    response = client.post("/predict/one", json={"msno": "a" * 201, "song_id": "b"})
    assert response.status_code == 422
    assert response.json()["message"].startswith("msno: String should have at most 200")
