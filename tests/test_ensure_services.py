"""scripts/ensure-services: the test command on a machine without PostgreSQL or Redis.

A fresh machine is stood in for by a PATH that holds neither server's programs and an
`apt-get` that records what it is asked for and then "installs" by linking this machine's
programs in; the servers start on free ports, never touching the shared ones.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from redis import Redis

from encore_api.client import free_port

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "ensure-services"
# What the script itself runs, linked into the stand-in PATH.
TOOLS = (
    "bash", "timeout", "seq", "sleep", "id", "runuser", "mkdir", "chown", "find",
    "sort", "tail", "dirname", "readlink", "basename", "grep", "cat", "useradd", "sh", "ln",
    "echo", "env",
)  # fmt: skip


def _postgres_programs() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found or shutil.which("redis-server") is None:
        pytest.skip("this machine has no PostgreSQL or Redis programs to stand in with")
    return Path(found[-1]).parent


@pytest.fixture
def fresh_machine() -> Iterator[tuple[dict[str, str], Path, Path]]:
    """(environment, services folder, apt-get's log) for a machine without the servers."""
    programs = _postgres_programs()
    sandbox = Path(tempfile.mkdtemp(prefix="encore-fresh-"))
    services = Path(tempfile.mkdtemp(prefix="encore-services-"))
    bin_dir, log = sandbox / "bin", sandbox / "apt-get.log"
    bin_dir.mkdir()
    for tool in TOOLS:
        if (path := shutil.which(tool)) is not None:
            (bin_dir / tool).symlink_to(path)
    (bin_dir / "python3").symlink_to(os.path.realpath(sys.executable))  # not a pyenv shim
    _fake_apt_get(bin_dir, log, programs, Path(str(shutil.which("redis-server"))))
    pg_port, redis_port = free_port(), free_port()
    env = {
        "PATH": str(bin_dir),
        "HOME": str(sandbox),
        "ENCORE_TEST_POSTGRES": f"postgresql+psycopg2://postgres@127.0.0.1:{pg_port}/test",
        "ENCORE_TEST_REDIS": f"redis://127.0.0.1:{redis_port}/0",
        "ENCORE_SERVICES_DIR": str(services),
        "ENCORE_POSTGRES_LIB": str(sandbox / "no-postgresql-here"),
    }
    try:
        yield env, services, log
    finally:
        _stop_servers(services, programs, pg_port, redis_port)
        shutil.rmtree(sandbox, ignore_errors=True)
        shutil.rmtree(services, ignore_errors=True)


def _fake_apt_get(bin_dir: Path, log: Path, programs: Path, redis: Path) -> None:
    script = bin_dir / "apt-get"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$@" >> {log}\n'
        'for package in "$@"; do case "$package" in\n'
        f"  postgresql) for p in {programs}/*; do ln -sf \"$p\" {bin_dir}/; done ;;\n"
        f"  redis-server) ln -sf {redis} {bin_dir}/redis-server ;;\n"
        "esac; done\n"
    )
    script.chmod(0o755)


def _stop_servers(services: Path, programs: Path, pg_port: int, redis_port: int) -> None:
    data = services / f"postgres-{pg_port}"
    if (data / "postmaster.pid").is_file():
        command = [str(programs / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, capture_output=True, timeout=60)
    pidfile = services / f"redis-{redis_port}.pid"
    if pidfile.is_file():
        os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)


def test_a_machine_without_the_servers_gets_them_installed_and_started(
    fresh_machine: tuple[dict[str, str], Path, Path],
) -> None:
    env, _, log = fresh_machine
    if os.geteuid() != 0:
        pytest.skip("installing with apt-get needs root")
    done = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    asked = log.read_text()
    assert "postgresql" in asked and "redis-server" in asked
    with psycopg2.connect(env["ENCORE_TEST_POSTGRES"].replace("+psycopg2", "")) as connection:
        assert connection.info.dbname == "test"
    with Redis.from_url(env["ENCORE_TEST_REDIS"], socket_connect_timeout=5) as redis:
        assert redis.ping()


def test_servers_that_already_answer_are_left_alone() -> None:
    """The test command run where PostgreSQL and Redis already run (as here) installs and
    starts nothing."""
    done = subprocess.run([str(SCRIPT)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_without_apt_get_or_docker_it_says_what_to_install_at_once(
    fresh_machine: tuple[dict[str, str], Path, Path],
) -> None:
    env, _, log = fresh_machine
    (Path(env["PATH"]) / "apt-get").unlink()
    done = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "apt-get install postgresql" in done.stderr and not log.exists()
