"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import contextlib
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from encore_api.deps import State

router = APIRouter(tags=["operations"])
# Apart: with ENCORE_READ_KEY set, the metrics need it too (health and readiness never do).
metrics_router = APIRouter(tags=["operations"])


@router.get("/health")
def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready", responses={503: {"description": "not ready; the body says why"}})
def ready(state: State) -> JSONResponse:
    """Ready when a model version is loaded and the records database answers."""
    checks: dict[str, Any] = {"model_version": state.predictor.version}
    try:
        state.store.counts_by_status()
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"unavailable: {str(exc).strip().splitlines()[0]}"
    is_ready = checks["model_version"] is not None and checks["database"] == "ok"
    return JSONResponse({"ready": is_ready, **checks}, status_code=200 if is_ready else 503)


@metrics_router.get("/metrics", response_class=Response)
def metrics(state: State) -> Response:
    """Prometheus text format."""
    state.telemetry.serving(state.predictor.version)
    with contextlib.suppress(Exception):  # the database may be down; report the rest
        state.telemetry.job_counts(state.store.counts_by_status())
    return Response(state.telemetry.render(), media_type=CONTENT_TYPE_LATEST)
