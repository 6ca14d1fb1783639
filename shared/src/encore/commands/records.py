"""Settings and a ready records database, for the commands that use jobs and the registry."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from encore.errors import EncoreError

if TYPE_CHECKING:
    from encore.settings import Settings

ACTIVE = "active"


def ready_settings(artifacts: Path | None = None) -> Settings:
    """The settings (with `artifacts` as the artifacts folder when given), with the records
    database checked, or for embedded SQLite (which lives in the artifacts folder) created."""
    from encore.db import ensure_schema
    from encore.settings import get_settings

    settings = get_settings()
    if artifacts is not None:
        settings = settings.model_copy(update={"artifacts_dir": Path(artifacts)})
    embedded = settings.database_url is None
    if embedded:
        settings.artifacts_dir.mkdir(parents=True, exist_ok=True)
    ensure_schema(settings.records_url(), create=embedded)
    return settings


def stored_model(model: str, artifacts: Path | None) -> Path:
    """The version folder `--model` names: a folder, a version, "latest" or "active"."""
    from encore.artifacts import artifacts_dir, resolve_model

    if model != ACTIVE:
        return resolve_model(model, artifacts_dir(artifacts))
    from encore.jobs import ModelRegistry

    record = ModelRegistry(ready_settings(artifacts).records_url()).active()
    if record is None:
        raise EncoreError(
            "no version is active: activate one with `encore models activate VERSION` "
            "(`encore models list` shows them)"
        )
    return Path(record.path)
