"""Jobs as a service: records in a database, a queue (RQ or embedded), workers, a registry.

One code path runs a job (``runner.execute``) whichever worker picked it up. The names below
are imported on first use: listing jobs or versions needs neither torch nor pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from encore.lazy import lazy_attributes

if TYPE_CHECKING:
    from encore.jobs.context import JobContext
    from encore.jobs.registry import ModelRegistry, UnknownVersion
    from encore.jobs.runner import JobFailed, execute
    from encore.jobs.service import JobService
    from encore.jobs.store import JobEnded, JobStore, UnknownJob
    from encore.jobs.transport import EmbeddedTransport, QueueUnavailable, RQTransport
    from encore.jobs.worker import EmbeddedWorker, reconcile, run_rq_worker

_SOURCES = {
    "JobContext": "context",
    "ModelRegistry": "registry",
    "UnknownVersion": "registry",
    "JobFailed": "runner",
    "execute": "runner",
    "JobService": "service",
    "JobEnded": "store",
    "JobStore": "store",
    "UnknownJob": "store",
    "EmbeddedTransport": "transport",
    "QueueUnavailable": "transport",
    "RQTransport": "transport",
    "EmbeddedWorker": "worker",
    "reconcile": "worker",
    "run_rq_worker": "worker",
}
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
__getattr__ = lazy_attributes(__name__, _SOURCES)
