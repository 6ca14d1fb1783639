"""Alembic's environment: the URL comes from `encore db upgrade` (encore.db.migrate)."""

from __future__ import annotations

from alembic import context

from encore.db.engine import get_engine
from encore.db.tables import Base

config = context.config
engine = get_engine(config.get_main_option("sqlalchemy.url") or "")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
