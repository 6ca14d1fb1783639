"""The dashboard's pages under /ui: data sets, jobs, models, and a form to score a row.

Pages only read; every change is made by the page's script through the JSON API with the
bearer key the user typed (kept in the tab's sessionStorage), so the same key checks apply.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from sqlalchemy.exc import SQLAlchemyError

from encore.artifacts import read_manifest
from encore.errors import EncoreError
from encore.jobs.params import DEFAULT_LEARNING_RATES
from encore.jobs.views import sweep_figure
from encore.jobstatus import JOB_STATUSES
from encore.model import ModelConfig
from encore.model.config import PARAMS
from encore_api.dashboard import access
from encore_api.dashboard.render import error_page, render
from encore_api.dashboard.views import (
    RUNNING_STATES,
    curves,
    epochs_by_run,
    job_row,
    live_figures,
    run_names,
    version_history,
)
from encore_api.deps import State
from encore_api.errors import STATUS_BY_ERROR, field_path
from encore_api.routes.models import public_manifest
from encore_api.rows import ID_FIELDS
from encore_api.state import AppState

# Log lines shown on a job's page (the JSON route has them all).
LOG_SHOWN = 200
Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class PageRoute(APIRoute):
    """Errors as pages: an unknown job is a 404 page, a bad parameter a 422 page naming it."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except access.Locked:
                return render(request, "locked.html", http_status=401, serving=None, locked=True)
            except RequestValidationError as exc:
                first = exc.errors()[0]
                return error_page(request, 422, f"{field_path(first['loc'])}: {first['msg']}")
            except EncoreError as exc:
                status = next(code for kind, code in STATUS_BY_ERROR if isinstance(exc, kind))
                return error_page(request, status, str(exc))
            except SQLAlchemyError:
                return error_page(request, 503, "the records database is unavailable")

        return handle


router = APIRouter(
    prefix="/ui", route_class=PageRoute, dependencies=[access.Reader], include_in_schema=False
)
Status = Annotated[str | None, Query(pattern=f"^({'|'.join(JOB_STATUSES)})$")]
Limit = Annotated[int, Query(ge=1, le=1_000)]


@router.get("", response_class=HTMLResponse)
def home() -> RedirectResponse:
    return RedirectResponse("/ui/jobs", status_code=303)


@router.get("/jobs", response_class=HTMLResponse)
def jobs_page(request: Request, state: State, status: Status = None, limit: Limit = 100) -> Any:
    now = datetime.now(UTC)
    jobs = [job_row(job, now) for job in state.store.summaries(status, limit)]
    return render(
        request,
        "jobs.html",
        jobs=jobs,
        status=status,
        limit=limit,
        statuses=JOB_STATUSES,
        datasets=state.datasets.names(),
        params=_train_params(),
        learning_rates=", ".join(f"{rate:g}" for rate in DEFAULT_LEARNING_RATES),
    )


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str, state: State) -> Any:
    return render(request, "job.html", **_job_context(state, job_id))


@router.get("/jobs/{job_id}/live", response_class=HTMLResponse)
def job_live(request: Request, job_id: str, state: State) -> Any:
    """The part of a job's page that changes while it runs; the page polls it."""
    return render(request, "_job_live.html", **_job_context(state, job_id))


@router.get("/datasets", response_class=HTMLResponse)
def datasets_page(request: Request, state: State) -> Any:
    datasets = [state.datasets.describe(name) for name in state.datasets.names()]
    return render(request, "datasets.html", datasets=datasets)


@router.get("/datasets/{name}", response_class=HTMLResponse)
def dataset_page(request: Request, name: str, state: State) -> Any:
    return render(request, "dataset.html", dataset=state.datasets.describe(name))


@router.get("/models", response_class=HTMLResponse)
def models_page(request: Request, state: State) -> Any:
    versions = list(reversed(state.registry.versions()))
    return render(request, "models.html", versions=versions)


@router.get("/models/{version}", response_class=HTMLResponse)
def model_page(request: Request, version: str, state: State) -> Any:
    record = state.registry.get(version)
    path = Path(record.path)
    manifest = public_manifest(read_manifest(path))
    charts = curves({"version": version_history(path)})
    return render(request, "model.html", record=record, manifest=manifest, charts=charts)


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, state: State, a: str, b: str) -> Any:
    records = [state.registry.get(a), state.registry.get(b)]
    histories = {record.version: version_history(Path(record.path)) for record in records}
    return render(request, "compare.html", records=records, charts=curves(histories))


@router.get("/try", response_class=HTMLResponse)
def try_page(request: Request) -> Any:
    from encore.features.spec import INPUTS

    ids = [item for name in ID_FIELDS for item in INPUTS if item.name == name]
    others = [item for item in INPUTS if item.name not in ID_FIELDS]
    return render(request, "try.html", ids=ids, others=others)


def _job_context(state: AppState, job_id: str) -> dict[str, Any]:
    job = state.store.get(job_id)
    runs = run_names(job, epochs_by_run(state.store.epochs(job_id)))
    figure = sweep_figure(job, state.settings.artifacts_dir)
    return {
        "job": job,
        "row": job_row(job, datetime.now(UTC)),
        "running": job.status in RUNNING_STATES,
        "live": live_figures(job),
        "charts": curves(runs),
        "log": state.store.log_lines(job_id, LOG_SHOWN),
        "figure": access.data_url(figure) if figure else None,
    }


def _train_params() -> list[dict[str, Any]]:
    """The main parameters of a training job, with their defaults and limits."""
    defaults = ModelConfig().to_dict()
    shown = ("max_epochs", "learning_rate", "batch_size", "embedding_dim", "hidden", "dropout",
             "early_stopping_patience", "refit")  # fmt: skip
    by_name = {param.name: param for param in PARAMS}
    return [
        {"param": by_name[name], "default": defaults[name]} for name in shown if name in by_name
    ]
