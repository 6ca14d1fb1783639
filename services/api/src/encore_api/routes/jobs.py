"""Training control: start a training job, follow jobs, cancel one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response, status
from fastapi.responses import FileResponse

from encore.jobs.params import SweepParams, TrainParams
from encore.jobs.views import job_dict, log_line_dict, sweep_figure
from encore.jobstatus import JOB_STATUSES
from encore_api.auth import Authorized
from encore_api.deps import State
from encore_api.errors import (
    BAD_BODY,
    INVALID,
    JOB_ENDED,
    NO_JOB,
    RECORDS_DOWN,
    UNAUTHORIZED,
    Responses,
    documented,
)
from encore_api.schemas import JobAccepted, JobOut, LogLineOut

router = APIRouter(tags=["jobs"])
STATUSES = "|".join(JOB_STATUSES)
# Every route that changes something: the key, a parameter, the records or the queue.
MUTATING: Responses = {**UNAUTHORIZED, **INVALID, **RECORDS_DOWN}
NO_FIGURE = documented(
    404,
    "no job has that id, or it has no figure (not a sweep, or not finished)",
    "job 0b7c1e2a-4d7e-4a4c-9d1e-3f1c2b6a9e10 has no figure",
)


@router.post(
    "/train",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobAccepted,
    responses={**MUTATING, **BAD_BODY},
    dependencies=[Authorized],
)
def train(body: TrainParams, state: State, response: Response) -> JobAccepted:
    """Queue a training job on a data set under ENCORE_DATA_DIR; follow it at Location.

    `params` overrides the preset's configuration: its schema lists every key with its
    type, limits and default."""
    job = state.jobs.submit("train", body)
    response.headers["Location"] = f"/jobs/{job.id}"
    return JobAccepted(job_id=job.id, status=job.status)


@router.post(
    "/sweep",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobAccepted,
    responses={**MUTATING, **BAD_BODY},
    dependencies=[Authorized],
)
def sweep(body: SweepParams, state: State, response: Response) -> JobAccepted:
    """Queue a learning-rate sweep: one model per rate, then the report's figure 2 (loss and
    AUC per epoch for each rate) at /jobs/{job_id}/figure.png. No version is registered."""
    job = state.jobs.submit("sweep", body)
    response.headers["Location"] = f"/jobs/{job.id}"
    return JobAccepted(job_id=job.id, status=job.status)


@router.get("/jobs", response_model=list[JobOut], responses={**INVALID, **RECORDS_DOWN})
def list_jobs(
    state: State,
    status_: Annotated[str | None, Query(alias="status", pattern=f"^({STATUSES})$")] = None,
    limit: Annotated[int, Query(ge=1, le=1_000)] = 50,
) -> list[dict[str, Any]]:
    """The latest jobs, newest first."""
    return [job_dict(job) for job in state.store.recent(status_, limit)]


@router.get("/jobs/{job_id}", response_model=JobOut, responses={**NO_JOB, **RECORDS_DOWN})
def get_job(job_id: str, state: State) -> dict[str, Any]:
    """One job: status, stage, the epoch reached, metrics so far, its version or its error."""
    return job_dict(state.store.get(job_id), state.store.epochs(job_id))


@router.post(
    "/jobs/{job_id}/cancel",
    response_model=JobOut,
    responses={**UNAUTHORIZED, **RECORDS_DOWN, **NO_JOB, **JOB_ENDED},
    dependencies=[Authorized],
)
def cancel_job(job_id: str, state: State) -> dict[str, Any]:
    """A queued job ends cancelled at once; a running one stops within an epoch."""
    return job_dict(state.jobs.cancel(job_id))


@router.get(
    "/jobs/{job_id}/log", response_model=list[LogLineOut], responses={**NO_JOB, **RECORDS_DOWN}
)
def get_job_log(job_id: str, state: State) -> list[dict[str, Any]]:
    """What the job logged while it ran (stages, epochs, how it ended), oldest first."""
    state.store.get(job_id)
    return [log_line_dict(line) for line in state.store.log_lines(job_id)]


@router.get(
    "/jobs/{job_id}/figure.png",
    response_class=FileResponse,
    responses={**NO_FIGURE, **RECORDS_DOWN, 200: {"content": {"image/png": {}}}},
)
def get_job_figure(job_id: str, state: State) -> FileResponse:
    """A finished sweep's figure: loss and validation AUC per epoch, one line per rate."""
    figure = sweep_figure(state.store.get(job_id), state.settings.artifacts_dir)
    if figure is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"job {job_id} has no figure")
    return FileResponse(figure, media_type="image/png")
