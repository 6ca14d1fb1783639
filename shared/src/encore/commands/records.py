"""Settings and a ready records database, for the commands that use jobs and the registry."""

from __future__ import annotations

from encore.db import ensure_schema
from encore.settings import Settings, get_settings


def ready_settings() -> Settings:
    """The settings, with the records database checked (or, for embedded SQLite, created)."""
    settings = get_settings()
    embedded = settings.database_url is None
    if embedded:
        settings.artifacts_dir.mkdir(parents=True, exist_ok=True)
    ensure_schema(settings.records_url(), create=embedded)
    return settings
