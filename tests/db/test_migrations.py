"""The schema: Alembic migrations build it on a fresh database and agree with the models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from encore.cli import main
from encore.db import current_revision, get_engine, head_revision, upgrade
from encore.db.migrate import alembic_config
from encore.db.tables import Base
from encore.settings import get_settings
from tests.services import fresh_database

TABLES = {"jobs", "epoch_metrics", "job_log", "model_versions", "alembic_version"}


def _differences(url: str) -> list[object]:
    with get_engine(url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_a_fresh_postgres_database_reaches_the_newest_schema() -> None:
    with fresh_database() as url:
        assert current_revision(url) is None
        assert upgrade(url) == head_revision()
        assert set(inspect(get_engine(url)).get_table_names()) == TABLES


def test_models_and_migrations_agree_on_postgres_and_sqlite(tmp_path: Path) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'records.sqlite3'}"
    upgrade(sqlite_url)
    assert _differences(sqlite_url) == []
    with fresh_database() as url:
        upgrade(url)
        assert _differences(url) == []


def test_downgrade_then_upgrade_round_trips() -> None:
    with fresh_database() as url:
        upgrade(url)
        command.downgrade(alembic_config(url), "base")
        assert set(inspect(get_engine(url)).get_table_names()) == {"alembic_version"}
        assert upgrade(url) == head_revision()


@pytest.fixture
def env_settings() -> Iterator[None]:
    """Settings read afresh from the environment the test sets up."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("env_settings")
def test_encore_db_upgrade_migrates_database_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with fresh_database() as url:
        monkeypatch.setenv("DATABASE_URL", url)
        assert main(["db", "upgrade"]) == 0
        assert f"at revision {head_revision()}" in capsys.readouterr().out
        assert current_revision(url) == head_revision()
        assert main(["db", "current"]) == 0
        assert "postgres" in capsys.readouterr().out


@pytest.mark.usefixtures("env_settings")
def test_commands_refuse_a_database_that_is_behind(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with fresh_database() as url:
        monkeypatch.setenv("DATABASE_URL", url)
        assert main(["jobs", "list"]) == 2
        assert "run `encore db upgrade`" in capsys.readouterr().err


@pytest.mark.usefixtures("env_settings")
def test_an_unreachable_database_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://nobody:secret@127.0.0.1:1/none")
    assert main(["jobs", "list"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("encore jobs: error: database unavailable")
    assert error.count("\n") == 1
    assert "secret" not in error
