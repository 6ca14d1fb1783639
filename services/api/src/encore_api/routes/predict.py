"""Scoring: a batch, one row, and recommendations for a listener."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, HTTPException, Request, Response, status
from starlette.concurrency import run_in_threadpool

from encore.scoring.recommend import Scored, candidates_of, rank_given, scored
from encore_api.batching import score_rows
from encore_api.deps import State
from encore_api.jsonbody import documented_body, parsed_body
from encore_api.predictor import Serving
from encore_api.rows import ROW
from encore_api.schemas import (
    PREDICT_REQUEST,
    OneResponse,
    PredictResponse,
    Problem,
    RecommendRequest,
    RecommendResponse,
)
from encore_api.state import AppState

router = APIRouter(tags=["prediction"])
SOURCE_FIELDS = ("source_system_tab", "source_screen_name", "source_type")
ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": Problem, "description": "too many rows or too large a body"},
    422: {"model": Problem, "description": "a field is invalid; the message names it"},
    503: {"model": Problem, "description": "no model version is active yet"},
}


def _json(answer: dict[str, Any]) -> Response:
    return Response(orjson.dumps(answer), media_type="application/json")


@router.post(
    "/predict",
    response_model=PredictResponse,
    responses=ERRORS,
    openapi_extra=documented_body("PredictRequest"),
)
async def predict(request: Request, state: State) -> Response:
    """Probabilities of a replay for a batch of rows, in the rows' order."""
    body = await parsed_body(request, PREDICT_REQUEST.validate_json)
    rows: list[dict[str, Any]] = body["rows"]
    limit = state.settings.max_rows
    if len(rows) > limit:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            f"{len(rows):,} rows: at most {limit:,} per request (ENCORE_MAX_ROWS)",
        )
    serving = state.predictor.current
    probabilities = await score_rows(serving, rows, state.settings.inline_rows)
    state.telemetry.rows.inc(len(rows))
    predictions = [{"probability": p, "label": int(p >= 0.5)} for p in probabilities]
    return _json({"model_version": serving.version, "predictions": predictions})


@router.post(
    "/predict/one",
    response_model=OneResponse,
    responses=ERRORS,
    openapi_extra=documented_body("Row"),
)
async def predict_one(request: Request) -> Response:
    """The probability of a replay for one row."""
    # The latency-critical route: the app state straight from the request (no dependency
    # to solve).
    state: AppState = request.app.state.encore
    row = await parsed_body(request, ROW.validate_json)
    scored = await state.one_rows.scored(row)
    state.telemetry.rows.inc()
    probability = scored.probability
    answer = {"model_version": scored.version, "probability": probability}
    return _json(answer | {"label": int(probability >= 0.5)})


@router.post("/recommend", response_model=RecommendResponse, responses=ERRORS)
async def recommend(body: RecommendRequest, state: State) -> Response:
    """The k songs this listener is likeliest to play and come back to, best first, each
    with where it came from."""
    serving = state.predictor.current
    context = body.model_dump(include=set(SOURCE_FIELDS), exclude_none=True)
    if body.candidates:
        picks = await run_in_threadpool(
            rank_given, serving.loaded, body.msno, body.candidates, body.k, context
        )
        state.telemetry.rows.inc(len(body.candidates))
    else:
        ranked = await run_in_threadpool(_stored, serving, body, context)
        picks = ranked.picks(body.k)
        state.telemetry.rows.inc(len(ranked.ids))
    songs = [{"song_id": pick.song_id, "probability": pick.probability, "source": pick.source,
              "candidate_score": pick.score} for pick in picks]  # fmt: skip
    return _json({"model_version": serving.version, "msno": body.msno, "recommendations": songs})


def _stored(serving: Serving, body: RecommendRequest, context: dict[str, Any]) -> Scored:
    """The listener's stored candidates, each with the model's probability."""
    candidates = candidates_of(serving.loaded, body.msno, body.include_played)
    return scored(serving.loaded, body.msno, candidates, context)
