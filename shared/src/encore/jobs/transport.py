"""How a recorded job reaches a worker: RQ on Redis, or the embedded worker's database poll."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from typing import Protocol

from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry
from rq import Callback, Queue, Worker
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job as RQJob

from encore.errors import EncoreError

# By dotted path, so that enqueueing never imports the job code (encore.jobs.tasks).
RUN_JOB = "encore.jobs.tasks.run_job"
ON_FAILURE = "encore.jobs.tasks.on_rq_failure"
# Finished RQ jobs are only transport; our records keep the history.
RESULT_TTL = 24 * 3600
FAILURE_TTL = 7 * 24 * 3600
# Whoever submits or cancels (the API, the CLI) waits at most this long for Redis to connect
# or answer, and does not retry: a stalled Redis is a prompt 503, not a held request.
CLIENT_SECONDS = 1.5


class QueueUnavailable(EncoreError):
    """The queue cannot be reached; nothing was enqueued."""


class Transport(Protocol):
    def submit(self, job_id: str) -> str | None: ...

    def withdraw(self, job_id: str) -> None: ...


@dataclass
class RQTransport:
    redis_url: str
    queue_name: str
    job_timeout: int

    def connection(self) -> Redis:
        """A worker's connection: RQ lengthens its read timeout for its blocking dequeue, and
        a blip is retried (a worker outlives them)."""
        return Redis.from_url(
            self.redis_url, socket_connect_timeout=3, socket_timeout=10, socket_keepalive=True
        )

    def queue(self) -> Queue:
        return Queue(self.queue_name, connection=self.connection())

    def client(self) -> Redis:
        """A submitter's connection: short timeouts, no retries."""
        return Redis.from_url(
            self.redis_url,
            socket_connect_timeout=CLIENT_SECONDS,
            socket_timeout=CLIENT_SECONDS,
            socket_keepalive=True,
            retry=Retry(NoBackoff(), 0),
        )

    def submit(self, job_id: str) -> str:
        try:
            queue = Queue(self.queue_name, connection=self.client())
            rq_job = queue.enqueue(
                RUN_JOB,
                job_id,
                job_id=job_id,
                job_timeout=self.job_timeout,
                result_ttl=RESULT_TTL,
                failure_ttl=FAILURE_TTL,
                on_failure=Callback(ON_FAILURE),
            )
        except RedisError as exc:
            raise QueueUnavailable(f"the job queue (Redis) is unavailable: {exc}") from None
        return str(rq_job.id)

    def withdraw(self, job_id: str) -> None:
        """Take a queued job off the queue; a job already running stops through its record."""
        with contextlib.suppress(NoSuchJobError, InvalidJobOperation, RedisError):
            RQJob.fetch(job_id, connection=self.client()).cancel()

    def live_workers(self) -> set[str]:
        """Every worker registered with this Redis, whatever its queue."""
        return {worker.name for worker in Worker.all(connection=self.client())}

    def queue_workers(self) -> set[str]:
        """The workers registered on this transport's queue."""
        queue = Queue(self.queue_name, connection=self.client())
        return {worker.name for worker in Worker.all(queue=queue)}


@dataclass
class EmbeddedTransport:
    """The database is the queue; submitting only wakes the embedded worker."""

    wake: threading.Event = field(default_factory=threading.Event)

    def submit(self, job_id: str) -> None:
        self.wake.set()

    def withdraw(self, job_id: str) -> None:
        """Nothing to do: a cancelled row is never claimed."""
