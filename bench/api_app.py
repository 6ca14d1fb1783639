"""The API with one extra route for bench/bench_api.py: the ceiling.

`POST /ceiling` is a bare FastAPI endpoint taking the same Row as `/predict/one`: the same
middleware, FastAPI's own reading of the body, a constant answer. What the HTTP stack, JSON
and validation alone cost.
"""

from __future__ import annotations

import orjson
from fastapi import FastAPI, Response

from encore.settings import get_settings
from encore_api.app import create_app
from encore_api.rows import Row
from encore_api.schemas import OneResponse
from encore_api.threads import limit_torch_threads


def app_with_ceiling() -> FastAPI:
    settings = get_settings()
    limit_torch_threads(settings)  # as `encore serve` does
    app = create_app(settings)

    @app.post("/ceiling", response_model=OneResponse)
    async def ceiling(row: Row) -> Response:  # type: ignore[valid-type]
        # A bare FastAPI endpoint: the Row as FastAPI reads a body, a constant answer in
        # OneResponse's shape, written by orjson as /predict/one writes its own.
        answer = {"model_version": "ceiling", "probability": 0.5, "label": 1}
        return Response(orjson.dumps(answer), media_type="application/json")

    # Routes match in order: first, the ceiling pays for no other route's match (the
    # dashboard's included), so it is at least as cheap to reach as /predict/one.
    app.router.routes.insert(0, app.router.routes.pop())
    return app
