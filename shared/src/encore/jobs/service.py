"""Submitting and cancelling jobs: what the API and the CLI call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from encore.db.deadline import deadline_in
from encore.db.tables import Job
from encore.jobs.params import READS_DATASET, resolve_dataset, validate
from encore.jobs.registry import ModelRegistry
from encore.jobs.store import JobStore
from encore.jobs.transport import EmbeddedTransport, RQTransport, Transport
from encore.settings import Settings


@dataclass(frozen=True)
class JobService:
    store: JobStore
    transport: Transport
    data_dir: Path | None = None

    @classmethod
    def from_settings(
        cls, settings: Settings, embedded: EmbeddedTransport | None = None
    ) -> JobService:
        transport: Transport
        if settings.uses_rq():
            transport = RQTransport(
                str(settings.redis_url), settings.queue_name, settings.job_timeout
            )
        else:
            transport = embedded or EmbeddedTransport()
        return cls(JobStore(settings.records_url()), transport, settings.data_dir)

    def submit(self, kind: str, params: dict[str, Any] | BaseModel) -> Job:
        """Record the job, then queue it; a queue that cannot be reached leaves no record.

        `params` is the raw parameters (checked here) or, from the API, the model the request
        body was already validated into (not validated again).
        """
        checked = params.model_dump() if isinstance(params, BaseModel) else validate(kind, params)
        if self.data_dir is not None and kind in READS_DATASET:
            resolve_dataset(self.data_dir, checked["dataset"])
        if kind == "score" and checked.get("model_version") is not None:
            ModelRegistry(self.store.url).get(checked["model_version"])
        job = self.store.create(kind, checked)
        try:
            rq_id = self.transport.submit(job.id)
        except Exception:
            with deadline_in(own=True):  # however long the queue took, leave no record
                self.store.discard(job.id)
            raise
        if rq_id is not None:
            self.store.set(job.id, rq_id=rq_id)
        return self.store.get(job.id)

    def cancel(self, job_id: str) -> Job:
        job = self.store.request_cancel(job_id)
        if job.status == "cancelled":
            self.transport.withdraw(job_id)
        return job
