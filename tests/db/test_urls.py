"""DATABASE_URL and REDIS_URL as platforms and tutorials write them, and as they should not be.

`postgresql://user@host/db` (RDS, Heroku-style platforms) made SQLAlchemy 2.1 reach for
psycopg 3, which Encore does not install: every command died with a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from encore.cli import main
from encore.db import head_revision
from encore.settings import get_settings
from tests.services import fresh_database

COMMANDS = [["db", "current"], ["jobs", "list"], ["models", "list"], ["worker", "--check"]]


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("DATABASE_URL", "REDIS_URL", "ENCORE_DATABASE_URL", "ENCORE_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_a_bare_postgresql_url_uses_the_installed_driver(
    scheme: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with fresh_database() as url:
        bare = url.replace("postgresql+psycopg2://", f"{scheme}://")
        monkeypatch.setenv("DATABASE_URL", bare)
        assert main(["db", "upgrade"]) == 0
        assert main(["jobs", "list"]) == 0
    assert f"at revision {head_revision()}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("mysql://root@127.0.0.1/test", "DATABASE_URL: mysql:// is not supported"),
        ("postgresql+psycopg://u@127.0.0.1/test", "postgresql+psycopg:// is not supported"),
        ("postgresql+asyncpg://u@127.0.0.1/test", "postgresql+asyncpg:// is not supported"),
        ("127.0.0.1:5432/test", "DATABASE_URL is not a database URL"),
        ("postgresql://u@127.0.0.1:port/test", "DATABASE_URL has an invalid port"),
        ("postgresql:///test", "DATABASE_URL names no host"),
    ],
)
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_unsupported_database_url_is_one_line_naming_the_setting(
    url: str,
    complaint: str,
    command: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(command) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and complaint in err
    assert "postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE" in err


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("localhost:6379", "REDIS_URL is not a Redis URL"),
        ("http://127.0.0.1:6379", "REDIS_URL is not a Redis URL"),
        ("redis://127.0.0.1:port/0", "REDIS_URL has an invalid port"),
        ("redis://127.0.0.1:6379/zero", "REDIS_URL: the database number must be an integer"),
    ],
)
def test_a_malformed_redis_url_is_one_line_naming_the_setting(
    url: str, complaint: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1/test")
    monkeypatch.setenv("REDIS_URL", url)
    for command in (["worker", "--check"], ["jobs", "list"]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and complaint in err, err
        get_settings.cache_clear()


def test_serve_with_an_unsupported_url_says_so_before_starting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://root@127.0.0.1/test")
    assert main(["serve", "--port", "1"]) == 2
    assert capsys.readouterr().err == (
        "encore serve: error: DATABASE_URL: mysql:// is not supported (Encore has the psycopg2 "
        "driver for PostgreSQL, and SQLite); use postgresql://USER[:PASSWORD]@HOST[:PORT]"
        "/DATABASE (postgres:// and postgresql+psycopg2:// too) or sqlite:///PATH\n"
    )
