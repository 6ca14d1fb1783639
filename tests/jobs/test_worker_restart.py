"""A worker restarted under the name of its own dead registration starts at once (a trainer
container restarted after a crash or an out-of-memory kill keeps its host name and pid 1, so
its name); a name a live worker holds is refused in one line. Against the real Redis."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time

import pytest
from redis import Redis
from rq import Queue, Worker

from encore.errors import EncoreError
from encore.jobs import JobService, JobStore
from encore.jobs.worker import claim_worker_name
from encore.settings import Settings
from tests.jobs.conftest import DATASET, ENDLESS, QUICK
from tests.jobs.helpers import has_epochs, wait_for
from tests.services import ENCORE, settings_env, start_worker

WORKER_SECONDS = 180
REFUSED = "There exists an active worker"


def _connection(settings: Settings) -> Redis:
    return Redis.from_url(str(settings.redis_url))


def _registered(settings: Settings, name: str) -> bool:
    key = Worker.redis_worker_namespace_prefix + name
    connection = _connection(settings)
    return bool(connection.exists(key)) and not connection.hexists(key, "death")


def _register(worker: Worker) -> None:
    worker.register_birth()  # type: ignore[no-untyped-call]


def _submit(settings: Settings, params: dict[str, object]) -> str:
    return JobService.from_settings(settings).submit(
        "train", {"dataset": DATASET, "params": params}
    ).id


def _long_running_worker(settings: Settings, name: str) -> subprocess.Popen[str]:
    """`encore worker --name NAME` (not burst), in its own process group like a container."""
    return subprocess.Popen(
        [str(ENCORE), "worker", "--name", name],
        env=settings_env(settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _wait_registered(settings: Settings, name: str, worker: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not _registered(settings, name):
        assert worker.poll() is None, worker.communicate()[0]
        assert time.monotonic() < deadline, f"{name} never registered"
        time.sleep(0.1)


def test_a_sigkilled_worker_restarted_under_its_name_starts_at_once(
    rq_settings: Settings,
) -> None:
    name = f"worker@restart-{os.getpid()}"
    store = JobStore(rq_settings.records_url())
    doomed = _submit(rq_settings, ENDLESS)
    first = _long_running_worker(rq_settings, name)
    try:
        _wait_registered(rq_settings, name, first)
        wait_for(store, doomed, has_epochs(1))
    finally:
        # The worker, then its work-horse (a session of its own), as a container dies.
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        horse = store.get(doomed).pid
        if horse is not None:
            os.kill(horse, signal.SIGKILL)
        first.communicate(timeout=30)
    assert _registered(rq_settings, name), "the dead worker's registration should outlive it"

    following = _submit(rq_settings, QUICK)
    started = time.monotonic()
    restarted = start_worker(rq_settings, "--name", name)
    output, _ = restarted.communicate(timeout=WORKER_SECONDS)
    assert restarted.returncode == 0, output
    assert REFUSED not in output
    assert "cleared the registration its earlier process left" in output
    assert time.monotonic() - started < 60
    killed = store.get(doomed)
    assert killed.status == "failed" and "stopped while the job ran" in str(killed.error)
    assert store.get(following).status == "succeeded"
    assert not _registered(rq_settings, name)  # a burst worker unregisters when it ends


def test_a_registration_left_by_this_very_pid_is_cleared(rq_settings: Settings) -> None:
    """The container case: the restarted process has the dead one's pid (1) and host name."""
    connection = _connection(rq_settings)
    name = f"worker@same-pid-{os.getpid()}"
    queue = Queue(rq_settings.queue_name, connection=connection)
    _register(Worker([queue], name=name, connection=connection))
    with pytest.raises(ValueError, match=REFUSED):
        _register(Worker([queue], name=name, connection=connection))

    claim_worker_name(connection, name)
    restarted = Worker([queue], name=name, connection=connection)
    _register(restarted)  # RQ takes the name now
    try:
        assert name in {worker.name for worker in Worker.all(queue=queue)}
    finally:
        restarted.register_death()  # type: ignore[no-untyped-call]


def test_a_name_a_live_worker_holds_is_refused_in_one_line(rq_settings: Settings) -> None:
    """A registration of this host whose pid still runs (a stand-in process holds it)."""
    connection = _connection(rq_settings)
    name = f"worker@live-{os.getpid()}"
    key = Worker.redis_worker_namespace_prefix + name
    holder = subprocess.Popen(["sleep", "120"])
    connection.hset(
        key, mapping={"hostname": socket.gethostname(), "pid": str(holder.pid), "queues": "x"}
    )
    try:
        second = subprocess.run(
            [str(ENCORE), "worker", "--burst", "--name", name],
            env=settings_env(rq_settings),
            capture_output=True,
            text=True,
            timeout=WORKER_SECONDS,
        )
        assert second.returncode == 2
        assert second.stderr.count("\n") == 1 and "is running already" in second.stderr
        assert f"(pid {holder.pid} on {socket.gethostname()})" in second.stderr
        assert _registered(rq_settings, name)  # left alone
    finally:
        holder.kill()
        holder.wait()
        connection.delete(key)


def test_a_registration_made_on_another_host_is_left_alone(rq_settings: Settings) -> None:
    connection = _connection(rq_settings)
    name = f"worker@elsewhere-{os.getpid()}"
    key = Worker.redis_worker_namespace_prefix + name
    connection.hset(key, mapping={"hostname": "another-host", "pid": "1", "queues": "x"})
    try:
        with pytest.raises(EncoreError, match="is running already"):
            claim_worker_name(connection, name)
        assert connection.exists(key) and not connection.hexists(key, "death")
    finally:
        connection.delete(key)
