"""Bad requests: a 4xx whose message names the field (and, in a batch, the row)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

GOOD = {"msno": "listener", "song_id": "song"}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({**GOOD, "bd": "twenty"}, "rows[1].bd: Input should be a valid integer"),
        (
            {**GOOD, "song_length": -5},
            "rows[1].song_length: Input should be greater than or equal to 0",
        ),
        ({**GOOD, "city": 10**12}, "rows[1].city: Input should be less than or equal to 1000"),
        (
            {**GOOD, "expiration_date": 20170231},
            "rows[1].expiration_date: Value error, 20170231 is not a date",
        ),
        ({"msno": "listener"}, "rows[1].song_id: Field required"),
        ({**GOOD, "msno": ""}, "rows[1].msno: String should have at least 1 character"),
        ({**GOOD, "colour": "red"}, "rows[1].colour: Extra inputs are not permitted"),
        ({**GOOD, "language": True}, "rows[1].language: Input should be a valid number"),
    ],
)
def test_a_bad_field_is_named_with_its_row(
    client: TestClient, row: dict[str, Any], message: str
) -> None:
    response = client.post("/predict", json={"rows": [GOOD, row]})
    assert response.status_code == 422
    assert response.json()["message"].startswith(message)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(client: TestClient, literal: str) -> None:
    body = '{"msno": "a", "song_id": "b", "language": ' + literal + "}"
    response = client.post(
        "/predict/one", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["message"].startswith("language: Input should be a finite number")


def test_an_empty_batch_is_refused(client: TestClient) -> None:
    response = client.post("/predict", json={"rows": []})
    assert response.status_code == 422
    assert response.json()["message"].startswith("rows: List should have at least 1 item")


def test_more_rows_than_the_limit_is_413(make_client: Any) -> None:
    client = make_client(max_rows=5)
    response = client.post("/predict", json={"rows": [GOOD] * 6})
    assert response.status_code == 413
    assert response.json()["message"] == "6 rows: at most 5 per request (ENCORE_MAX_ROWS)"


def test_a_body_over_the_size_limit_is_413(make_client: Any) -> None:
    client = make_client(max_body_bytes=2048)
    body = json.dumps({"rows": [GOOD] * 100})
    response = client.post("/predict", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "larger than 2,048 bytes" in response.json()["message"]


def test_malformed_json_is_422_not_500(client: TestClient) -> None:
    response = client.post(
        "/predict", content=b'{"rows": [', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["message"]
