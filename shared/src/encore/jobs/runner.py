"""Running one job by id: the single code path for RQ workers and the embedded worker."""

from __future__ import annotations

import logging
import os
from typing import Any

from encore.errors import EncoreError
from encore.jobs.context import JobContext
from encore.jobs.kinds import RUNNERS
from encore.training import TrainingCancelled

log = logging.getLogger(__name__)


class JobFailed(EncoreError):
    """The job ended failed; its row holds the same message."""


def execute(job_id: str, ctx: JobContext) -> str:
    """Claim the job, run it, record how it ended; returns the final status.

    Raises JobFailed after recording a failure, so that a queue sees the failure too.
    """
    job = ctx.store.claim(job_id, ctx.worker, os.getpid())
    if job is None:
        log.info("job %s: not queued any more (cancelled or taken); skipped", job_id)
        return ctx.store.get(job_id).status
    log.info("job %s: %s started", job_id, job.kind, extra=_fields(job_id, job.kind))
    ctx.store.note(job_id, f"{job.kind} started on {ctx.worker}")
    try:
        outcome = RUNNERS[job.kind](job, ctx)
    except TrainingCancelled:
        ctx.store.cancelled(job_id)
        ctx.store.note(job_id, "cancelled")
        log.info("job %s: cancelled", job_id, extra=_fields(job_id, job.kind, "cancelled"))
        return "cancelled"
    except Exception as exc:
        message = describe_failure(exc)
        ctx.store.fail(job_id, message)
        ctx.store.note(job_id, f"failed: {message}", level="error")
        log.error(
            "job %s: failed: %s", job_id, message,
            exc_info=not _expected(exc), extra=_fields(job_id, job.kind, "failed"),
        )  # fmt: skip
        raise JobFailed(message) from exc
    ctx.store.succeed(job_id, outcome.result, outcome.model_version, outcome.metrics)
    made = f": version {outcome.model_version}" if outcome.model_version else ""
    ctx.store.note(job_id, f"succeeded{made}")
    fields = _fields(job_id, job.kind, "succeeded", version=outcome.model_version)
    log.info("job %s: succeeded", job_id, extra=fields)
    return "succeeded"


def _fields(job_id: str, kind: str, status: str = "running", **more: Any) -> dict[str, Any]:
    """What a structured log line says beside its message."""
    return {"job_id": job_id, "kind": kind, "status": status, **more}


def _expected(exc: BaseException) -> bool:
    """Bad input and missing files: the message says it all, no traceback needed."""
    return isinstance(exc, EncoreError | OSError)


def describe_failure(exc: BaseException) -> str:
    """One readable line: our own errors as they are, anything else with its type.

    A timeout or lack of memory that struck inside a database call surfaces as the error of
    the clean-up that followed (a rollback on the connection it closed); the line names the
    cause that started the chain.
    """
    exc = _first_cause(exc)
    if isinstance(exc, EncoreError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror.lower()}{where}"
    if isinstance(exc, MemoryError):
        return "out of memory"
    if type(exc).__name__ == "JobTimeoutException":  # RQ's, raised inside the work-horse
        return f"the job ran longer than its timeout ({exc})"
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"unexpected error ({type(exc).__name__}{': ' + text if text else ''})"


def _first_cause(exc: BaseException) -> BaseException:
    """The timeout or MemoryError this exception was raised while handling, else itself."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, MemoryError) or type(seen).__name__ == "JobTimeoutException":
            return seen
        seen = seen.__cause__ or seen.__context__
    return exc
