"""What RQ imports by dotted path: the job entry point and its failure callbacks.

The API enqueues ``encore.jobs.tasks.run_job`` by name and never imports this module.
"""

from __future__ import annotations

import os
import signal
from typing import Any

from encore.jobs.context import JobContext
from encore.jobs.runner import execute
from encore.jobs.store import JobStore
from encore.settings import get_settings


def run_job(job_id: str) -> str:
    """Run a recorded job inside an RQ work-horse."""
    worker = os.environ.get("RQ_WORKER_ID")
    return execute(job_id, JobContext.from_settings(get_settings(), worker))


def on_rq_failure(job: Any, connection: Any, exc_type: Any, exc: Any, traceback: Any) -> None:
    """RQ's failure callback: timeouts and abandoned jobs end failed in our records too."""
    _store().fail(job.id, _rq_failure_message(exc_type, exc))


def on_horse_killed(job: Any, retpid: int, ret_val: int, rusage: Any) -> None:
    """The worker saw its work-horse die (SIGKILL, the kernel's OOM killer, a crash)."""
    _store().fail(job.id, horse_death_message(ret_val))


def horse_death_message(wait_status: int) -> str:
    if os.WIFSIGNALED(wait_status):
        number = os.WTERMSIG(wait_status)
        name = signal.Signals(number).name if number in signal.valid_signals() else str(number)
        hint = " (killed, perhaps out of memory)" if number == signal.SIGKILL else ""
        return f"the process running this job died from signal {name}{hint}"
    return f"the process running this job exited with status {os.WEXITSTATUS(wait_status)}"


def _rq_failure_message(exc_type: Any, exc: Any) -> str:
    name = getattr(exc_type, "__name__", str(exc_type))
    if name == "JobTimeoutException":
        return f"the job ran longer than its timeout ({get_settings().job_timeout} s)"
    if name == "AbandonedJobError":
        return "the worker running this job stopped without finishing it (abandoned)"
    return f"{exc}" if exc else name


def _store() -> JobStore:
    return JobStore(get_settings().records_url())
