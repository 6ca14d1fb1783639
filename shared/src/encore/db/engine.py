"""Engines and sessions, one engine per URL per process (a forked RQ work-horse gets its own)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from encore.errors import EncoreError

_ENGINES: dict[tuple[str, int], Engine] = {}


def get_engine(url: str) -> Engine:
    """The engine for `url` in this process; a fork never reuses its parent's connections."""
    key = (url, os.getpid())
    if key not in _ENGINES:
        _ENGINES[key] = _create(url)
    return _ENGINES[key]


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session that commits when the block ends normally and rolls back otherwise."""
    factory = sessionmaker(get_engine(url), expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


def _create(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise EncoreError(f"DATABASE_URL is not a database URL: {redacted(url)}") from None
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, connect_args=_connect_args(parsed.drivername))


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _connect_args(driver: str) -> dict[str, Any]:
    return {"connect_timeout": 5} if driver.startswith("postgresql") else {}


def redacted(url: str) -> str:
    """The URL with any password hidden, for error messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable>"
