"""Deadlines on the records database, enforced by the client.

A PostgreSQL server that is frozen rather than stopped (a suspended process, a lost network
path) accepts connections and reads queries but never answers; psycopg2 has no read timeout,
so a request would wait forever on a pooled connection. Encore therefore runs psycopg2 in its
"green" mode: every wait for the server goes through ``wait_with_deadline``, which waits with
select() until the current deadline and then gives up. psycopg2 closes a connection whose
wait failed, so the pool never hands it out again.

A deadline is a point in time (``time.monotonic()``), set for a block of work with
``deadline_in``: the innermost and earliest applies. Outside any block each wait gets the
process default (``set_default_seconds``): 30 s, and what the API sets at start.
"""

from __future__ import annotations

import contextvars
import select
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

DEFAULT_SECONDS = 30.0

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "encore_database_deadline", default=None
)
_default = [DEFAULT_SECONDS]


class DeadlinePassed(Exception):
    """Raised inside psycopg2's wait; it reaches the caller as an OperationalError."""


def set_default_seconds(seconds: float) -> None:
    """How long any one unit of records work may take in this process."""
    _default[0] = seconds


def default_seconds() -> float:
    return _default[0]


@contextmanager
def deadline_in(seconds: float | None = None, *, own: bool = False) -> Iterator[float]:
    """Every wait for the database in the block ends by now + `seconds` (the process default
    when None), or by an earlier deadline already in force, unless the block has its `own`
    (clean-up that must run even when the request's time is up)."""
    limit = time.monotonic() + (default_seconds() if seconds is None else seconds)
    current = None if own else _deadline.get()
    token = _deadline.set(limit if current is None else min(current, limit))
    try:
        yield _deadline.get() or limit
    finally:
        _deadline.reset(token)


def wait_with_deadline(connection: Any) -> None:
    """psycopg2's wait callback: poll the connection, waiting for its socket with select()
    until the deadline; past it, raise (psycopg2 then closes the connection)."""
    import psycopg2.extensions as pg

    limit = _deadline.get() or time.monotonic() + default_seconds()
    while True:
        state = connection.poll()
        if state == pg.POLL_OK:
            return
        left = limit - time.monotonic()
        if left <= 0:
            raise pg.QueryCanceledError(
                "timed out: the database did not answer in time (deadline passed)"
            )
        socket = connection.fileno()
        if state == pg.POLL_READ:
            select.select([socket], [], [], left)
        elif state == pg.POLL_WRITE:
            select.select([], [socket], [], left)
        else:
            raise pg.OperationalError(f"unexpected state from poll: {state}")


def install() -> None:
    """Route every psycopg2 wait in this process through ``wait_with_deadline`` (once)."""
    import psycopg2.extensions as pg

    if pg.get_wait_callback() is not wait_with_deadline:
        pg.set_wait_callback(wait_with_deadline)
