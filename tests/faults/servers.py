"""Private Redis and PostgreSQL servers that a fault test may stop and start again on the same
port, or freeze (SIGSTOP: a suspended process, as a lost network path looks to a client) and
thaw (SIGCONT) (the shared ones on 6379 and 5432 are never touched), and the API as
`encore serve` runs.

Every wait has a deadline, so a server or an API that hangs fails the test instead of CI.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import RedisError

from encore_api.client import ApiClient, free_port
from tests.services import ENCORE

STARTUP_SECONDS = 60.0
# An answer slower than this fails the test: a stopped server must never make a request hang.
PROMPT_SECONDS = 8.0


def wait_until(check: Callable[[], bool], what: str, timeout: float = STARTUP_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"{what}: not within {timeout:.0f} s"
        time.sleep(0.1)


class RedisServer:
    """`redis-server` without persistence: a restart comes back empty, like a lost Redis."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or pytest.skip("redis-server is not installed")
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        with (self.folder / "redis.log").open("ab") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        wait_until(self._answers, f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self._process is not None:
            _end(self._process)
            self._process = None

    def freeze(self) -> None:
        assert self._process is not None
        os.kill(self._process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        assert self._process is not None
        os.kill(self._process.pid, signal.SIGCONT)

    def _answers(self) -> bool:
        assert self._process is not None and self._process.poll() is None, self._log()
        try:
            with Redis.from_url(self.url, socket_connect_timeout=1) as client:
                return bool(client.ping())
        except RedisError:
            return False

    def _log(self) -> str:
        return (self.folder / "redis.log").read_text(errors="replace")


class PostgresServer:
    """A PostgreSQL cluster of its own (trust auth, user postgres), made by initdb."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self._bin = _postgres_bin()

    @property
    def url(self) -> str:
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/postgres"

    def create(self) -> None:
        self._run("initdb", "-D", self._data, "-A", "trust", "-U", "postgres")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        log = str(self.folder / "postgres.log")
        self._run("pg_ctl", "-D", self._data, "-l", log, "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", self._data, "-m", "fast", "-w", "stop")

    def freeze(self) -> None:
        """SIGSTOP the postmaster, then every backend it forked: connections are accepted
        (the kernel still completes the handshake) but nothing is ever answered."""
        postmaster = self._postmaster()
        os.kill(postmaster, signal.SIGSTOP)
        for child in _children(postmaster):
            os.kill(child, signal.SIGSTOP)

    def thaw(self) -> None:
        postmaster = self._postmaster()
        for child in _children(postmaster):
            os.kill(child, signal.SIGCONT)
        os.kill(postmaster, signal.SIGCONT)

    def _postmaster(self) -> int:
        return int((Path(self._data) / "postmaster.pid").read_text().splitlines()[0])

    def running(self) -> bool:
        status = subprocess.run(
            _as_owner([str(self._bin / "pg_ctl"), "-D", self._data, "status"]),
            capture_output=True,
            timeout=STARTUP_SECONDS,
        )
        return status.returncode == 0

    @property
    def _data(self) -> str:
        return str(self.folder / "data")

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run(
            _as_owner([str(self._bin / program), *args]),
            capture_output=True,
            text=True,
            timeout=STARTUP_SECONDS,
        )
        assert done.returncode == 0, f"{program} {' '.join(args)}: {done.stdout}{done.stderr}"


@contextmanager
def postgres_folder() -> Iterator[Path]:
    """A folder the server's user owns; not under pytest's tmp_path, which only root may enter."""
    folder = Path(tempfile.mkdtemp(prefix="encore-faults-pg-"))
    try:
        if _is_root():
            account = _postgres_account()
            os.chown(folder, account.pw_uid, account.pw_gid)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _children(parent: int) -> list[int]:
    """The processes whose parent is `parent` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return found


def _postgres_bin() -> Path:
    """initdb's folder: on PATH, else Debian's /usr/lib/postgresql/<major>/bin."""
    found = shutil.which("initdb") or next(
        iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)), None
    )
    if found is None:
        pytest.skip("PostgreSQL's initdb is not installed")
    return Path(found).resolve().parent


def _postgres_account() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no postgres account to run PostgreSQL as")


def _is_root() -> bool:
    return os.geteuid() == 0


def _as_owner(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as the postgres account."""
    return ["runuser", "-u", "postgres", "--", *command] if _is_root() else command


class ApiServer:
    """`encore serve` on a free loopback port, with the given environment."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        port = free_port()
        with log.open("ab") as output:
            self._process = subprocess.Popen(
                [str(ENCORE), "serve", "--port", str(port)],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.client = ApiClient(f"http://127.0.0.1:{port}", timeout=PROMPT_SECONDS)
        wait_until(self._healthy, "the API answering /health")

    def stop(self) -> None:
        _end(self._process)

    def _healthy(self) -> bool:
        assert self._process.poll() is None, self.log.read_text(errors="replace")
        try:
            return self.client.get("/health")[0] == 200
        except OSError:
            return False


def _end(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
