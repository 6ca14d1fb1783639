"""/predict validates its body with PredictRequest's plain twin (encore_api.plain): it must
accept and refuse exactly what PredictRequest does, with the same errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from encore_api.plain import MODEL_ERROR_TYPES
from encore_api.routes.predict import PREDICT_BODY
from encore_api.schemas import PredictRequest

OK = {"msno": "a", "song_id": "b"}
BODIES: list[Any] = [
    {"rows": [OK]},
    {"rows": [{**OK, "genre_ids": None, "city": 3, "language": 3, "gender": "male"}]},
    {"rows": [OK, {**OK, "song_length": 1.0, "registration_init_time": 20_170_228}]},
    {},
    {"rows": []},
    {"rows": "x"},
    {"rows": [1]},
    [OK],
    {"rows": [OK], "more": 1},
    {"rows": [{"msno": "a"}]},
    {"rows": [{**OK, "msno": ""}]},
    {"rows": [{**OK, "unknown": 1}]},
    {"rows": [{**OK, "bd": True}]},
    {"rows": [OK, {**OK, "bd": "3"}]},
    {"rows": [{**OK, "bd": 1e9}]},
    {"rows": [{**OK, "song_length": 1.5}]},
    {"rows": [{**OK, "registration_init_time": 20_170_231}]},
    {"rows": [{**OK, "isrc": "x" * 1_001}]},
    {"rows": [{**OK, "language": 1e400}]},
]


def outcome(validate: Any, body: bytes) -> tuple[str, Any]:
    try:
        value = validate(body)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False)
        named = [{**e, "type": MODEL_ERROR_TYPES.get(e["type"], e["type"])} for e in errors]
        return "refused", named
    if isinstance(value, PredictRequest):
        return "accepted", [row.model_dump(exclude_unset=True) for row in value.rows]
    return "accepted", value["rows"]


@pytest.mark.parametrize("body", BODIES, ids=lambda body: json.dumps(body)[:60])
def test_the_twin_accepts_and_refuses_as_the_model_does(body: Any) -> None:
    raw = json.dumps(body).encode()
    expected = outcome(PredictRequest.model_validate_json, raw)
    assert outcome(PREDICT_BODY.validate_json, raw) == expected


def test_rows_hold_only_the_fields_they_give() -> None:
    rows = PREDICT_BODY.validate_json(json.dumps({"rows": [OK, {**OK, "bd": None}]}))["rows"]
    assert rows == [OK, {**OK, "bd": None}]
