"""The API with one extra route for bench/bench_api.py: the ceiling.

`POST /ceiling` takes the same Row as `/predict/one`, goes through the same middleware, and
answers a constant: what the HTTP stack, JSON and validation alone cost.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse

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
    async def ceiling(row: Row) -> JSONResponse:
        # Answers the way /predict/one does (a JSONResponse in OneResponse's shape).
        return JSONResponse({"model_version": "ceiling", "probability": 0.5, "label": 1})

    return app
