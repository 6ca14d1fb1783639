"""The API with one extra route for bench/bench_api.py: the ceiling.

`POST /ceiling` reads the same Row as `/predict/one`, goes through the same middleware, and
answers a constant: what the HTTP stack, JSON and validation alone cost.
"""

from __future__ import annotations

import orjson
from fastapi import FastAPI, Request, Response

from encore.settings import get_settings
from encore_api.app import create_app
from encore_api.jsonbody import parsed_body
from encore_api.rows import ROW
from encore_api.schemas import OneResponse
from encore_api.threads import limit_torch_threads


def app_with_ceiling() -> FastAPI:
    settings = get_settings()
    limit_torch_threads(settings)  # as `encore serve` does
    app = create_app(settings)

    @app.post("/ceiling", response_model=OneResponse)
    async def ceiling(request: Request) -> Response:
        # Reads and answers the way /predict/one does: the Row validated from the body's
        # bytes, the answer in OneResponse's shape written by orjson.
        await parsed_body(request, ROW.validate_json)
        answer = {"model_version": "ceiling", "probability": 0.5, "label": 1}
        return Response(orjson.dumps(answer), media_type="application/json")

    return app
