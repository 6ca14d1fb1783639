"""A job's failure line names what went wrong, even when it struck inside a database call."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import pytest
from rq.timeouts import JobTimeoutException
from sqlalchemy import text

from encore.db.engine import session_scope
from encore.jobs.runner import describe_failure


@contextmanager
def _alarm_raising_rq_timeout(seconds: float) -> Iterator[None]:
    """What RQ's work-horse does when a job runs past its timeout: SIGALRM raises."""

    def _raise(_signum: int, _frame: FrameType | None) -> None:
        raise JobTimeoutException("Task exceeded maximum timeout value (1 seconds)")

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_timeout_during_a_query_is_reported_as_the_timeout(pg_url: str) -> None:
    with (
        pytest.raises(Exception) as caught,
        _alarm_raising_rq_timeout(0.2),
        session_scope(pg_url) as session,
    ):
        session.execute(text("SELECT pg_sleep(5)"))
    assert "longer than its timeout" in describe_failure(caught.value)
    with session_scope(pg_url) as session:
        assert session.execute(text("SELECT 1")).scalar() == 1


def test_an_error_raised_while_handling_another_is_reported_as_itself() -> None:
    try:
        try:
            raise KeyError("song_id")
        except KeyError:
            raise ValueError("bad row") from None
    except ValueError as exc:
        assert describe_failure(exc) == "unexpected error (ValueError: bad row)"
