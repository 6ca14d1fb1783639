"""Job records: the one place that changes a job's row."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, delete, func, select, update

from encore.db.engine import session_scope
from encore.db.tables import EpochRecord, Job, JobLogLine, utcnow
from encore.errors import EncoreError
from encore.jobstatus import (
    CANCELLED,
    FAILED,
    FINISHED_STATUSES,
    JOB_STATUSES,
    QUEUED,
    RUNNING,
    SUCCEEDED,
)

if TYPE_CHECKING:
    from encore.training import EpochMetrics

MAX_ERROR_CHARS = 2000
# A job's log keeps its latest lines; a long run's early epochs are the ones forgotten.
MAX_LOG_LINES = 1000
SUMMARY_COLUMNS = (
    Job.id, Job.kind, Job.dataset, Job.status, Job.stage, Job.created_at, Job.started_at,
    Job.finished_at, Job.model_version,
)  # fmt: skip
_ENDED_STAGE = {SUCCEEDED: "done", FAILED: "failed", CANCELLED: "cancelled"}


class UnknownJob(EncoreError):
    """No job has that id."""


class JobEnded(EncoreError):
    """The job already ended; it cannot be cancelled."""


@dataclass(frozen=True)
class JobStore:
    url: str

    def create(self, kind: str, params: dict[str, Any]) -> Job:
        job = Job(
            id=str(uuid.uuid4()),
            kind=kind,
            status=QUEUED,
            params=params,
            dataset=params.get("dataset"),
            created_at=utcnow(),
            cancel_requested=False,
        )
        with session_scope(self.url) as session:
            session.add(job)
        return job

    def discard(self, job_id: str) -> None:
        """Forget a job that never reached the queue."""
        with session_scope(self.url) as session:
            session.execute(delete(Job).where(Job.id == job_id))

    def get(self, job_id: str) -> Job:
        with session_scope(self.url) as session:
            job = session.get(Job, job_id)
        if job is None:
            raise UnknownJob(f"no job {job_id!r}")
        return job

    def recent(self, status: str | None = None, limit: int = 100) -> list[Job]:
        query = select(Job).order_by(Job.created_at.desc()).limit(limit)
        if status is not None:
            query = query.where(Job.status == status)
        with session_scope(self.url) as session:
            return list(session.scalars(query))

    def summaries(self, status: str | None = None, limit: int = 100) -> list[Any]:
        """The latest jobs' scalar columns only (no parameters, metrics or results): what a
        list of jobs shows, newest first."""
        query = select(*SUMMARY_COLUMNS).order_by(Job.created_at.desc()).limit(limit)
        if status is not None:
            query = query.where(Job.status == status)
        with session_scope(self.url) as session:
            return list(session.execute(query))

    def epochs(self, job_id: str) -> list[EpochRecord]:
        query = (
            select(EpochRecord)
            .where(EpochRecord.job_id == job_id)
            .order_by(EpochRecord.run, EpochRecord.epoch)
        )
        with session_scope(self.url) as session:
            return list(session.scalars(query))

    def note(self, job_id: str, message: str, level: str = "info") -> None:
        """Add a line to the job's log (what its page shows under "Log")."""
        line = JobLogLine(
            job_id=job_id, at=utcnow(), level=level, message=message[:MAX_ERROR_CHARS]
        )
        with session_scope(self.url) as session:
            session.add(line)

    def log_lines(self, job_id: str, limit: int = MAX_LOG_LINES) -> list[JobLogLine]:
        """The job's latest `limit` log lines, oldest first."""
        query = (
            select(JobLogLine)
            .where(JobLogLine.job_id == job_id)
            .order_by(JobLogLine.id.desc())
            .limit(limit)
        )
        with session_scope(self.url) as session:
            return list(reversed(session.scalars(query).all()))

    def set(self, job_id: str, **values: Any) -> None:
        with session_scope(self.url) as session:
            session.execute(update(Job).where(Job.id == job_id).values(**values))

    def claim(self, job_id: str, worker: str, pid: int) -> Job | None:
        """Queued to running, atomically; None if cancelled or already taken meanwhile."""
        claimed = self._transition(
            job_id, (QUEUED,), RUNNING, worker=worker, pid=pid, started_at=utcnow()
        )
        return self.get(job_id) if claimed else None

    def next_queued(self) -> str | None:
        query = select(Job.id).where(Job.status == QUEUED).order_by(Job.created_at).limit(1)
        with session_scope(self.url) as session:
            return session.scalar(query)

    def record_epoch(self, job_id: str, run: int, metrics: EpochMetrics) -> None:
        values = metrics.as_dict()
        with session_scope(self.url) as session:
            session.add(EpochRecord(job_id=job_id, run=run, recorded_at=utcnow(), **values))
            session.execute(
                update(Job)
                .where(Job.id == job_id)
                .values(epoch=metrics.epoch, metrics=values, progress=None)
            )

    def succeed(
        self,
        job_id: str,
        result: dict[str, Any],
        version: str | None,
        metrics: dict[str, Any] | None = None,
    ) -> None:
        """Succeeded; a train job's `metrics` become its kept epoch's (its version's)."""
        kept = {"metrics": metrics} if metrics is not None else {}
        self._transition(
            job_id, (RUNNING,), SUCCEEDED, result=result, model_version=version, **kept
        )

    def fail(self, job_id: str, message: str) -> bool:
        """Failed with `message`, unless the job already ended (the first word stands)."""
        return self._transition(job_id, (QUEUED, RUNNING), FAILED, error=message[:MAX_ERROR_CHARS])

    def cancelled(self, job_id: str) -> bool:
        return self._transition(job_id, (QUEUED, RUNNING), CANCELLED)

    def request_cancel(self, job_id: str) -> Job:
        """Queued jobs end at once; running ones are asked to stop at their next check."""
        job = self.get(job_id)
        if job.status in FINISHED_STATUSES:
            raise JobEnded(f"job {job_id} already ended ({job.status})")
        if not self._transition(job_id, (QUEUED,), CANCELLED, cancel_requested=True):
            self.set(job_id, cancel_requested=True)
        return self.get(job_id)

    def cancel_requested(self, job_id: str) -> bool:
        with session_scope(self.url) as session:
            return bool(session.scalar(select(Job.cancel_requested).where(Job.id == job_id)))

    def counts_by_status(self) -> dict[str, int]:
        """Every status with its number of jobs (0 included)."""
        query = select(Job.status, func.count()).group_by(Job.status)
        with session_scope(self.url) as session:
            found = {status: int(count) for status, count in session.execute(query)}
        return {status: found.get(status, 0) for status in JOB_STATUSES}

    def active_on(self, dataset: str) -> list[str]:
        """Ids of the queued and running jobs on `dataset`, oldest first."""
        query = (
            select(Job.id)
            .where(Job.dataset == dataset, Job.status.in_((QUEUED, RUNNING)))
            .order_by(Job.created_at)
        )
        with session_scope(self.url) as session:
            return list(session.scalars(query))

    def running(self) -> list[Job]:
        return self.recent(status=RUNNING, limit=10_000)

    def _transition(
        self, job_id: str, sources: tuple[str, ...], target: str, **values: Any
    ) -> bool:
        if target in FINISHED_STATUSES:
            # The stage says how it ended, never the epoch it was in.
            values.update(finished_at=utcnow(), stage=_ENDED_STAGE[target], progress=None)
        statement = (
            update(Job)
            .where(Job.id == job_id, Job.status.in_(sources))
            .values(status=target, **values)
        )
        with session_scope(self.url) as session:
            result = cast(CursorResult[Any], session.execute(statement))
            return bool(result.rowcount)
