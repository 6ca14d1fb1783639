"""Every error answers JSON `{"message": ..., "detail": ...}` with a 4xx or 503 status."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException

from encore.datasets.errors import (
    DatasetExists,
    DatasetInUse,
    NoRoom,
    UnknownDataset,
    UploadTooLarge,
)
from encore.errors import EncoreError
from encore.jobs import JobEnded, QueueUnavailable, UnknownJob, UnknownVersion
from encore_api.predictor import NoModel
from encore_api.schemas import Problem

log = logging.getLogger(__name__)

# Most specific first: the first class the error is an instance of decides the status.
STATUS_BY_ERROR: tuple[tuple[type[Exception], int], ...] = (
    (UnknownJob, 404),
    (UnknownVersion, 404),
    (UnknownDataset, 404),
    (DatasetExists, 409),
    (DatasetInUse, 409),
    (UploadTooLarge, 413),
    (NoRoom, 507),
    (JobEnded, 409),
    (NoModel, 503),
    (QueueUnavailable, 503),
    (EncoreError, 422),
)


Responses = dict[int | str, dict[str, Any]]
PROBLEM = "#/components/schemas/Problem"


def documented(status: int, description: str, message: str) -> Responses:
    """One error answer for the OpenAPI document: the Problem shape, what it means, and an
    example (FastAPI's default 422 schema would describe a different body)."""
    example = {"message": message, "detail": None}
    return {
        status: {
            "model": Problem,
            "description": description,
            "content": {"application/json": {"example": example}},
        }
    }


# A route answers only those of these that can happen to it: 400 where it reads a body,
# 422 where it takes parameters, 503 where it needs the records or the queue.
BAD_BODY = documented(400, "the body could not be read as JSON", "the body is not valid JSON")
INVALID = documented(
    422,
    "a field is invalid; the message names it",
    "limit: Input should be less than or equal to 1000",
)
UNAUTHORIZED = documented(
    401,
    "missing or wrong API key",
    "missing or wrong API key: send Authorization: Bearer <ENCORE_API_KEY>",
)
RECORDS_DOWN = documented(
    503,
    "the records database (or, for /train, the job queue) is unavailable or did not answer "
    "within ENCORE_DATABASE_TIMEOUT; retry shortly",
    "the records database is unavailable; try again shortly",
)
NO_JOB = documented(404, "no job has that id", "no job '0b7c1e2a-4d7e-4a4c-9d1e-3f1c2b6a9e10'")
NO_VERSION = documented(
    404,
    "no registered version has that name",
    "no registered model version '20261125T120000Z-1a2b'",
)
JOB_ENDED = documented(
    409,
    "the job already ended; only a queued or running job can be cancelled",
    "job 0b7c1e2a-4d7e-4a4c-9d1e-3f1c2b6a9e10 already ended (succeeded)",
)
# What the prediction routes (which read a body) may answer, beside their own.
DOCUMENTED: Responses = {**BAD_BODY, **INVALID}
# The example an error answer gets in the document when its route gave none.
EXAMPLES = {
    "400": "the body is not valid JSON",
    "401": "missing or wrong API key: send Authorization: Bearer <ENCORE_API_KEY>",
    "404": "not found",
    "409": "conflict with the current state",
    "413": "request body larger than 8,388,608 bytes",
    "422": "rows[3].bd: Input should be a valid integer",
    "503": "no model version is active yet: train one with POST /train",
    "507": "not enough free space on the data volume for this upload",
}


def add_error_examples(app: FastAPI) -> None:
    """Give every documented error answer an example of the Problem body it carries."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                for status, answer in operation.get("responses", {}).items():
                    if status in EXAMPLES:
                        content = answer.setdefault("content", {}).setdefault(
                            "application/json", {"schema": {"$ref": PROBLEM}}
                        )
                        content.setdefault("example", {"message": EXAMPLES[status], "detail": None})
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(EncoreError, _encore)
    app.add_exception_handler(SQLAlchemyError, _database)
    app.add_exception_handler(RedisError, _redis)
    app.add_exception_handler(Exception, _unexpected)


def problem(status: int, message: str, detail: Any = None, **headers: str) -> JSONResponse:
    return JSONResponse({"message": message, "detail": detail}, status, headers=headers or None)


def field_path(location: Sequence[Any]) -> str:
    """("body", "rows", 3, "bd") reads `rows[3].bd`; ("query", "limit") reads `limit`."""
    text = ""
    for part in location[1:] if location and location[0] in ("body", "query", "path") else location:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "body"


async def _invalid(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    message = f"{field_path(first['loc'])}: {first['msg']}"
    detail = [
        {"field": field_path(e["loc"]), "message": e["msg"], "type": e["type"]} for e in errors
    ]
    return problem(422, message, detail)


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return problem(exc.status_code, str(exc.detail), **(exc.headers or {}))


async def _encore(_: Request, exc: Exception) -> JSONResponse:
    status = next(code for kind, code in STATUS_BY_ERROR if isinstance(exc, kind))
    return problem(status, str(exc))


async def _database(_: Request, exc: Exception) -> JSONResponse:
    log.error("records database error: %s", exc)
    return problem(503, "the records database is unavailable; try again shortly")


async def _redis(_: Request, exc: Exception) -> JSONResponse:
    log.error("redis error: %s", exc)
    return problem(503, "the job queue is unavailable; try again shortly")


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return problem(500, "internal error; the server log has the details")
