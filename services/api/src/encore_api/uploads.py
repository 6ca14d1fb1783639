"""A request body streamed to a staging file on the data volume, never held in memory.

The body is counted against ENCORE_MAX_UPLOAD_BYTES as it arrives (and refused at once when
its Content-Length says it is larger), free space is checked as it grows, and whatever goes
wrong (the limit, a full disk, the client going away) the staging folder is removed.
"""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from encore.datasets.archive import NOT_AN_ARCHIVE, SNIFF_BYTES, looks_like_archive
from encore.datasets.errors import DatasetRefused
from encore.datasets.room import Budget, ensure_room
from encore.datasets.store import UPLOAD_FILE, DatasetStore, remove_tree

# Bytes gathered before each write (a write runs in a thread: the event loop never waits on
# the disk), and between free-space checks.
WRITE_BYTES = 1024 * 1024
CHECK_ROOM_BYTES = 64 * 1024 * 1024


def declared_length(request: Request) -> int | None:
    value = request.headers.get("content-length")
    return int(value) if value and value.isdigit() else None


async def receive_upload(request: Request, store: DatasetStore, limit: int) -> Path:
    """The staging folder holding the body as UPLOAD_FILE."""
    budget = Budget(limit, "the upload")
    declared = declared_length(request) or 0
    budget.check(declared)
    await run_in_threadpool(store.data_dir.mkdir, parents=True, exist_ok=True)
    staging = await run_in_threadpool(store.new_staging)
    try:
        await run_in_threadpool(ensure_room, staging, declared)
        await _write_body(request, staging / UPLOAD_FILE, budget)
    except BaseException:
        remove_tree(staging)  # here, not in a thread: a cancelled request must clean up too
        raise
    if budget.used == 0:
        remove_tree(staging)
        raise DatasetRefused("the upload is empty: send the archive as the request body")
    return staging


async def _write_body(request: Request, target: Path, budget: Budget) -> None:
    head = b""  # the first SNIFF_BYTES, to refuse what is no archive before storing it all
    pending: list[bytes] = []
    waiting = unchecked = 0
    with target.open("wb") as out:
        async for chunk in request.stream():
            budget.take(len(chunk))
            if len(head) < SNIFF_BYTES:
                head += chunk[: SNIFF_BYTES - len(head)]
                if len(head) == SNIFF_BYTES:
                    _refuse_unless_archive(head)
            pending.append(chunk)
            waiting += len(chunk)
            unchecked += len(chunk)
            if waiting >= WRITE_BYTES:
                await run_in_threadpool(out.write, b"".join(pending))
                pending, waiting = [], 0
            if unchecked >= CHECK_ROOM_BYTES:
                await run_in_threadpool(ensure_room, target.parent, 0)
                unchecked = 0
        if 0 < len(head) < SNIFF_BYTES:
            _refuse_unless_archive(head)
        await run_in_threadpool(out.write, b"".join(pending))


def _refuse_unless_archive(head: bytes) -> None:
    if not looks_like_archive(head):
        raise DatasetRefused(NOT_AN_ARCHIVE)
