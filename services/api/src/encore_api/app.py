"""The FastAPI application: `create_app(settings)`, or `app_from_env()` for uvicorn."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from encore import __version__
from encore.settings import Settings, get_settings
from encore_api import dashboard, errors
from encore_api.auth import Readable
from encore_api.jsonbody import add_body_schemas
from encore_api.middleware import BodyLimit, Metered, RecordsDeadline
from encore_api.routes import datasets, health, jobs, models, predict
from encore_api.rows import ROW
from encore_api.schemas import PREDICT_REQUEST
from encore_api.state import AppState
from encore_api.threads import limit_torch_threads

DESCRIPTION = """Will a listener play a song again within a month? Encore answers for rows in
the KKBOX WSDM format, trains models on KKBOX-format data sets as background jobs, and keeps a
registry of model versions of which exactly one answers. People have a dashboard at `/ui`.

Endpoints that change something (`/train`, `/sweep`, cancel, activate, uploading and deleting data
sets) need `Authorization: Bearer <ENCORE_API_KEY>` when a key is configured. With
ENCORE_READ_KEY configured, every other endpoint but `/health`, `/ready` and the docs needs
`Authorization: Bearer <ENCORE_READ_KEY>` (or the API key)."""


def create_app(settings: Settings) -> FastAPI:
    state = AppState.build(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        state.start()
        try:
            yield
        finally:
            state.stop()

    app = FastAPI(
        title="Encore",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # the dashboard serves /docs and /redoc with their files (no CDN)
        redoc_url=None,
    )
    app.state.encore = state
    # Only an API with a read key checks one: the others solve no extra dependency per call.
    reads = [Readable] if settings.read_key else []
    app.include_router(predict.router, responses=errors.DOCUMENTED, dependencies=reads)
    for router in (jobs.router, models.router, datasets.router, health.metrics_router):
        app.include_router(router, dependencies=reads)
    app.include_router(health.router)
    dashboard.install(app)
    errors.install(app)
    add_body_schemas(app, {"PredictRequest": PREDICT_REQUEST, "Row": ROW})
    errors.add_error_examples(app)
    _add_middleware(app, state)
    return app


def app_from_env() -> FastAPI:
    """What `encore serve` runs: the API process, so it also sets torch's thread counts."""
    settings = get_settings()
    limit_torch_threads(settings)
    return create_app(settings)


def _add_middleware(app: FastAPI, state: AppState) -> None:
    origins = [
        origin.strip() for origin in state.settings.cors_origins.split(",") if origin.strip()
    ]
    if origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=origins, allow_methods=["*"], allow_headers=["*"]
        )
    app.add_middleware(RecordsDeadline, seconds=state.settings.database_timeout)
    app.add_middleware(BodyLimit, max_bytes=state.settings.max_body_bytes)
    app.add_middleware(dashboard.HtmlHeaders)
    app.add_middleware(Metered, telemetry=state.telemetry)
