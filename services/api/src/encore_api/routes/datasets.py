"""Data sets: upload one (an import job validates it before it appears), list, show, delete."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from encore.datasets.errors import DatasetInUse
from encore.datasets.store import remove_tree
from encore.db.tables import Job
from encore_api.auth import Authorized
from encore_api.deps import State
from encore_api.errors import INVALID, problem
from encore_api.routes.jobs import MUTATING
from encore_api.schemas import DatasetDetail, DatasetOut, ImportAccepted, Problem
from encore_api.state import AppState
from encore_api.uploads import receive_upload

log = logging.getLogger(__name__)
router = APIRouter(tags=["datasets"])
Name = Annotated[
    str,
    PathParam(
        min_length=1,
        max_length=255,
        description="the data set's name: one plain folder name (no /, \\, leading dot)",
    ),
]
POLL_SECONDS = 0.25
_ARCHIVE = {"schema": {"type": "string", "format": "binary"}}
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "a tar (plain, gzip, bzip2 or xz) or zip archive of the data set's "
        "files, at most ENCORE_MAX_UPLOAD_BYTES as sent and once unpacked, e.g. "
        "`tar -czf - -C kkbox . | curl -T - ...`",
        "content": {
            kind: _ARCHIVE
            for kind in (
                "application/gzip",
                "application/x-tar",
                "application/zip",
                "application/octet-stream",
            )
        },
    }
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem},
    422: {"model": Problem, "description": "not a plain data set name: the message says why"},
}
UPLOAD_ANSWERS: dict[int | str, dict[str, Any]] = {
    **MUTATING,
    201: {"model": DatasetDetail, "description": "imported (with ?wait, in time)"},
    400: {"model": Problem, "description": "the upload was interrupted; nothing was kept"},
    409: {"model": Problem, "description": "the name is taken, or being imported"},
    413: {"model": Problem, "description": "larger than ENCORE_MAX_UPLOAD_BYTES"},
    422: {"model": Problem, "description": "not a data set: the message names the file"},
    507: {"model": Problem, "description": "not enough free space on the data volume"},
}


@router.get("/datasets", response_model=list[DatasetOut])
def list_datasets(state: State) -> list[dict[str, Any]]:
    """The data sets under ENCORE_DATA_DIR, by name, with their files' sizes."""
    return [state.datasets.describe(name, with_profile=False) for name in state.datasets.names()]


@router.get(
    "/datasets/{name}", response_model=DatasetDetail, responses={**NOT_FOUND, **INVALID}
)
def get_dataset(name: Name, state: State) -> dict[str, Any]:
    """One data set: its files and the profile its import made."""
    return state.datasets.describe(name)


@router.put(
    "/datasets/{name}",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ImportAccepted,
    responses=UPLOAD_ANSWERS,
    dependencies=[Authorized],
    openapi_extra=UPLOAD_BODY,
)
async def upload_dataset(
    name: Name,
    request: Request,
    state: State,
    wait: Annotated[
        float,
        Query(ge=0, le=3600, description="seconds to wait for the import to end (default 0)"),
    ] = 0,
) -> Response:
    """Upload a data set as an archive, streamed to disk. An import job (run by a worker)
    unpacks it and validates every file with the ingest; the data set appears under `name`
    only if it passes, and a failed or interrupted upload leaves nothing. Answers 202 with
    the job, or with `?wait=SECONDS`, once it ends in time: 201 with the data set and its
    profile, or 422 with the ingest's message."""
    await run_in_threadpool(_refuse_taken, state, name)
    try:
        staging = await receive_upload(request, state.datasets, state.settings.max_upload_bytes)
    except ClientDisconnect:
        log.warning("upload of data set %r interrupted by the client; nothing kept", name)
        return problem(400, "the upload was interrupted; nothing was kept")
    params = {"dataset": name, "upload": staging.name}
    try:
        job = await run_in_threadpool(state.jobs.submit, "import", params)
    except BaseException:
        remove_tree(staging)
        raise
    if wait:
        job = await _ended(state, job, wait)
    return await run_in_threadpool(_answer, state, job)


@router.delete(
    "/datasets/{name}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={**MUTATING, **NOT_FOUND, 409: {"model": Problem}},
    dependencies=[Authorized],
)
def delete_dataset(name: Name, state: State) -> Response:
    """Remove a data set and its files; refused (409) while a queued or running job uses it."""
    state.datasets.delete(name, lambda: state.store.active_on(name))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _refuse_taken(state: AppState, name: str) -> None:
    """Before a byte is read: a bad name (422), a name taken (409) or being imported (409)."""
    state.datasets.refuse_existing(name)
    importing = state.store.active_on(name)
    if importing:
        raise DatasetInUse(f"data set {name!r} is being imported already (job {importing[0]})")


async def _ended(state: AppState, job: Job, seconds: float) -> Job:
    deadline = asyncio.get_running_loop().time() + seconds
    while job.status in ("queued", "running"):
        if asyncio.get_running_loop().time() >= deadline:
            break
        await asyncio.sleep(POLL_SECONDS)
        job = await run_in_threadpool(state.store.get, job.id)
    return job


def _answer(state: AppState, job: Job) -> Response:
    name = str(job.dataset)
    if job.status == "succeeded":
        headers = {"Location": f"/datasets/{name}"}
        return JSONResponse(state.datasets.describe(name), 201, headers=headers)
    if job.status in ("failed", "cancelled"):
        message = job.error or f"the import was {job.status}"
        return problem(422, message, {"job_id": job.id})
    accepted = ImportAccepted(job_id=job.id, status=job.status, dataset=name)
    return JSONResponse(accepted.model_dump(), 202, headers={"Location": f"/jobs/{job.id}"})
