"""Workers: the RQ worker (`encore worker` with REDIS_URL) and the embedded one (without)."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from redis import Redis
from rq import Worker

from encore.db.tables import Job
from encore.errors import EncoreError
from encore.jobs.adopt import reconcile_settings_versions
from encore.jobs.context import JobContext, default_worker_name
from encore.jobs.runner import JobFailed, execute
from encore.jobs.store import JobStore
from encore.jobs.tasks import on_horse_killed
from encore.jobs.transport import EmbeddedTransport, RQTransport
from encore.settings import Settings

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0


def reconcile(
    store: JobStore, live_workers: Callable[[], set[str]] | None, me: str
) -> list[str]:
    """Fail every running job whose worker is gone; returns their ids.

    A worker is gone when its name is ours (we are only starting, so it was an earlier
    process of ours), when it ran on this host under a pid that no longer exists, or when
    `live_workers` (RQ's registered workers; None where there is no such list) lacks it.
    """
    running = store.running()
    # Asked only now: a worker registers before it takes a job, so every worker of a job
    # listed above is in this list unless it is gone. Asked first, the list could miss a
    # worker that registered and started a job in between, and fail that job.
    live = None if live_workers is None else live_workers()
    ended = []
    for job in running:
        if _worker_is_gone(job, live, me) and store.fail(job.id, _gone_message(job)):
            log.warning("job %s: its worker %s is gone; marked failed", job.id, job.worker)
            ended.append(job.id)
    return ended


def run_rq_worker(settings: Settings, burst: bool = False, name: str | None = None) -> bool:
    """Reconcile, then work the queue until stopped (or, with `burst`, until it is empty)."""
    transport = RQTransport(str(settings.redis_url), settings.queue_name, settings.job_timeout)
    me = name or default_worker_name()
    connection = transport.connection()
    claim_worker_name(connection, me)
    reconcile(JobStore(settings.records_url()), transport.live_workers, me)
    reconcile_settings_versions(settings)
    worker = Worker(
        [transport.queue()],
        connection=connection,
        name=me,
        work_horse_killed_handler=on_horse_killed,
    )
    return bool(worker.work(burst=burst, logging_level="INFO"))


def claim_worker_name(connection: Redis, name: str) -> None:
    """Clear a dead registration of ours under `name`; refuse a name a live worker holds.

    RQ refuses to start a worker under a registered name until that registration expires
    (minutes). A container restarted after a crash or an out-of-memory kill comes back with
    the same host name and pid 1, hence the same name: without this it would crash-loop.
    A registration is ours and dead when it was made on this host by our own pid (we have
    not registered yet, so it was an earlier process) or by a pid that no longer runs.
    """
    key = Worker.redis_worker_namespace_prefix + name
    if not connection.exists(key) or connection.hexists(key, "death"):
        return
    held = Worker.find_by_key(key, connection=connection)
    if held is None:  # expired meanwhile
        return
    if held.hostname == socket.gethostname() and (
        held.pid == os.getpid() or held.pid is None or not _pid_alive(held.pid)
    ):
        held.register_death()  # type: ignore[no-untyped-call]
        log.warning("worker %s: cleared the registration its earlier process left", name)
        return
    raise EncoreError(
        f"a worker named {name!r} is running already (pid {held.pid} on {held.hostname}): "
        "start this one under another --name"
    )


@dataclass
class EmbeddedWorker:
    """Runs queued jobs one at a time in a background thread of this process."""

    settings: Settings
    transport: EmbeddedTransport = field(default_factory=EmbeddedTransport)
    name: str = field(default_factory=lambda: default_worker_name("embedded"))
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _current: str | None = None

    def start(self) -> None:
        self._reconcile()
        self._thread = threading.Thread(target=self._loop, name="encore-jobs", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 30.0) -> None:
        """Stop taking jobs; a running one is cancelled (it stops at its next check)."""
        self._stop.set()
        self.transport.wake.set()
        if self._current is not None:
            JobStore(self.settings.records_url()).set(self._current, cancel_requested=True)
        if self._thread is not None:
            self._thread.join(timeout)

    def drain(self) -> int:
        """Run queued jobs in this thread until none is left; returns how many ran."""
        self._reconcile()
        ran = 0
        while self.run_next():
            ran += 1
        return ran

    def run_next(self) -> bool:
        ctx = JobContext.from_settings(self.settings, self.name)
        job_id = ctx.store.next_queued()
        if job_id is None:
            return False
        self._current = job_id
        try:
            with contextlib.suppress(JobFailed):  # recorded on the job's row and logged
                execute(job_id, ctx)
        finally:
            self._current = None
        return True

    def _loop(self) -> None:
        while not self._stop.is_set():
            if not self.run_next():
                self.transport.wake.wait(POLL_SECONDS)
                self.transport.wake.clear()

    def _reconcile(self) -> None:
        reconcile(JobStore(self.settings.records_url()), None, self.name)
        reconcile_settings_versions(self.settings)


def _worker_is_gone(job: Job, live_workers: set[str] | None, me: str) -> bool:
    if not job.worker or job.worker == me:
        return True
    if live_workers is not None and job.worker not in live_workers:
        return True
    host, _, pid = job.worker.rpartition("@")[2].rpartition(".")
    return host == socket.gethostname() and pid.isdigit() and not _pid_alive(int(pid))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _gone_message(job: Job) -> str:
    return (
        f"the worker running this job ({job.worker}) stopped while the job ran "
        "(killed, crashed or restarted); start the job again"
    )
