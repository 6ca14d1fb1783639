"""Training control: start a training job, follow jobs, cancel one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from encore.jobs.params import TrainParams
from encore.jobs.views import job_dict
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
)
from encore_api.schemas import JobAccepted, JobOut

router = APIRouter(tags=["jobs"])
STATUSES = "|".join(JOB_STATUSES)
# Every route that changes something: the key, a parameter, the records or the queue.
MUTATING: Responses = {**UNAUTHORIZED, **INVALID, **RECORDS_DOWN}


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
