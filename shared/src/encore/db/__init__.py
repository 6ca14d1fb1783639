"""The records database: tables, engines and sessions, and Alembic migrations."""

from encore.db.engine import get_engine, session_scope
from encore.db.migrate import current_revision, ensure_schema, head_revision, upgrade

__all__ = [
    "current_revision",
    "ensure_schema",
    "get_engine",
    "head_revision",
    "session_scope",
    "upgrade",
]
