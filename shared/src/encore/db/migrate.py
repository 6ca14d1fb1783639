"""Schema migrations: `encore db upgrade` runs Alembic's `upgrade head` on the records database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from encore.db.engine import get_engine
from encore.errors import EncoreError

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> str:
    """Bring the database to the newest schema; returns the revision it is at."""
    command.upgrade(alembic_config(url), "head")
    return current_revision(url) or ""


def current_revision(url: str) -> str | None:
    with get_engine(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    return head or ""


def ensure_schema(url: str, create: bool) -> None:
    """Upgrade (`create`, for embedded SQLite) or check that the schema is the newest."""
    if create:
        upgrade(url)
        return
    current, head = current_revision(url), head_revision()
    if current != head:
        raise EncoreError(
            f"the records database is at schema revision {current or 'none'}, this code needs "
            f"{head}: run `encore db upgrade`"
        )
