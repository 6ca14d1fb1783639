"""Engines and sessions, one engine per URL per process (a forked RQ work-horse gets its own).

Every PostgreSQL call has a deadline (see encore.db.deadline): a session's work together
takes at most the process's records budget, a connection attempt and a wait for a pooled
connection are bounded, idle connections are probed by TCP keepalives (a lost network path),
and the server cancels any statement running past STATEMENT_SECONDS.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from encore import urls
from encore.db import deadline
from encore.errors import EncoreError

_ENGINES: dict[tuple[str, int], Engine] = {}
# libpq's own connect timeout (the deadline bounds the whole attempt too).
CONNECT_SECONDS = 2
# How long a request waits for a free pooled connection.
POOL_TIMEOUT_SECONDS = 2
# The server cancels a statement after this long (a migration included).
STATEMENT_SECONDS = 60
# TCP keepalives on idle connections: first probe after 10 s, then every 5 s, 3 unanswered
# probes and the connection is dropped; sent data unacknowledged for 15 s drops it too.
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5}
KEEPALIVES |= {"keepalives_count": 3, "tcp_user_timeout": 15_000}


def get_engine(url: str) -> Engine:
    """The engine for `url` in this process; a fork never reuses its parent's connections."""
    key = (url, os.getpid())
    if key not in _ENGINES:
        _ENGINES[key] = _create(url)
    return _ENGINES[key]


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session that commits when the block ends normally and rolls back otherwise; its
    database work ends by the records deadline (see encore.db.deadline)."""
    factory = sessionmaker(get_engine(url), expire_on_commit=False)
    with deadline.deadline_in(), factory() as session, session.begin():
        yield session


def _create(url: str) -> Engine:
    url = urls.database_url(url, "the records database URL")
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise EncoreError(f"DATABASE_URL is not a database URL: {redacted(url)}") from None
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    deadline.install()
    return create_engine(
        url, pool_pre_ping=True, pool_timeout=POOL_TIMEOUT_SECONDS, connect_args=_postgres_args()
    )


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _postgres_args() -> dict[str, Any]:
    statement = f"-c statement_timeout={STATEMENT_SECONDS * 1000}"
    return {"connect_timeout": CONNECT_SECONDS, "options": statement, **KEEPALIVES}


def redacted(url: str) -> str:
    """The URL with any password hidden, for error messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable>"
