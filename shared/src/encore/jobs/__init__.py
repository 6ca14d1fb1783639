"""Jobs as a service: records in a database, a queue (RQ or embedded), workers, a registry.

One code path runs a job (``runner.execute``) whichever worker picked it up.
"""

from encore.jobs.context import JobContext
from encore.jobs.registry import ModelRegistry, UnknownVersion
from encore.jobs.runner import JobFailed, execute
from encore.jobs.service import JobService
from encore.jobs.store import JobEnded, JobStore, UnknownJob
from encore.jobs.transport import EmbeddedTransport, QueueUnavailable, RQTransport
from encore.jobs.worker import EmbeddedWorker, reconcile, run_rq_worker

__all__ = [
    "EmbeddedTransport",
    "EmbeddedWorker",
    "JobContext",
    "JobEnded",
    "JobFailed",
    "JobService",
    "JobStore",
    "ModelRegistry",
    "QueueUnavailable",
    "RQTransport",
    "UnknownJob",
    "UnknownVersion",
    "execute",
    "reconcile",
    "run_rq_worker",
]
