"""The real PostgreSQL and Redis on this machine, for the integration tests.

Each test gets a fresh PostgreSQL database (dropped afterwards) and its own RQ queue name.
ENCORE_TEST_POSTGRES and ENCORE_TEST_REDIS point the tests elsewhere.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from encore.settings import Settings

POSTGRES = os.environ.get(
    "ENCORE_TEST_POSTGRES", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
)
REDIS = os.environ.get("ENCORE_TEST_REDIS", "redis://127.0.0.1:6379/0")
ENCORE = Path(sys.executable).with_name("encore")


@contextmanager
def fresh_database(server: str = POSTGRES) -> Iterator[str]:
    """Create an empty database on `server` (a URL), yield its URL, drop it (and its
    connections) afterwards."""
    name = f"encore_test_{secrets.token_hex(6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def service_settings(
    database_url: str | None, redis_url: str | None, data_dir: Path, artifacts_dir: Path
) -> Settings:
    return Settings(
        database_url=database_url,
        redis_url=redis_url,
        queue_name=f"encore-test-{secrets.token_hex(4)}",
        data_dir=data_dir,
        artifacts_dir=artifacts_dir,
    )


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that gives a child process the same settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ENCORE_")}
    env.update(
        ENCORE_DATA_DIR=str(settings.data_dir),
        ENCORE_ARTIFACTS_DIR=str(settings.artifacts_dir),
        ENCORE_QUEUE_NAME=settings.queue_name,
        ENCORE_JOB_TIMEOUT=str(settings.job_timeout),
    )
    for key in ("DATABASE_URL", "REDIS_URL"):
        env.pop(key, None)
    if settings.database_url:
        env["DATABASE_URL"] = settings.database_url
    if settings.redis_url:
        env["REDIS_URL"] = settings.redis_url
    return env


def start_worker(settings: Settings, *args: str) -> subprocess.Popen[str]:
    """`encore worker --burst` in a child process, as the trainer container runs it."""
    return subprocess.Popen(
        [str(ENCORE), "worker", "--burst", *args],
        env=settings_env(settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
