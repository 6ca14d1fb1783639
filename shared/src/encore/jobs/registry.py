"""The model registry: registered versions, exactly one of them active."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from encore.db.engine import session_scope
from encore.db.tables import ModelVersion, utcnow
from encore.errors import EncoreError

log = logging.getLogger(__name__)

# Any constant shared by every process that activates versions (PostgreSQL advisory lock).
_ACTIVATION_LOCK = 4_711_003


class UnknownVersion(EncoreError):
    """No registered version has that name."""


@dataclass(frozen=True)
class ModelRegistry:
    url: str
    auto_activate: bool = False

    def register(self, folder: Path, job_id: str | None = None) -> ModelVersion:
        """Record a complete version folder; activate it if none is active (or it is better).

        Registering the same folder again returns its record (noting `job_id` if it had
        none), so a job and a reconciling worker may both register what the job wrote.
        """
        from encore.artifacts import read_manifest

        manifest = read_manifest(folder)
        path = str(Path(folder).resolve())
        existing = self._find(manifest["version"])
        if existing is not None:
            return self._again(existing, path, job_id)
        record = ModelVersion(
            version=manifest["version"],
            job_id=job_id,
            path=path,
            metrics=manifest.get("final_metrics", {}),
            data_fingerprint=manifest.get("data_fingerprint", {}).get("sha256"),
            active=False,
            created_at=utcnow(),
        )
        try:
            with session_scope(self.url) as session:
                session.add(record)
        except IntegrityError:  # registered by someone else meanwhile
            return self._again(self.get(record.version), path, job_id)
        log.info("registered model %s", record.version, extra={"version": record.version})
        if self._should_activate(record):
            return self.activate(record.version)
        return record

    def activate(self, version: str) -> ModelVersion:
        """Make `version` the active one, after checking that its files load."""
        record = self.get(version)
        check_version(Path(record.path))
        with session_scope(self.url) as session:
            _lock_activation(session)
            session.execute(update(ModelVersion).where(ModelVersion.active).values(active=False))
            session.execute(
                update(ModelVersion)
                .where(ModelVersion.version == version)
                .values(active=True, activated_at=utcnow())
            )
        log.info("activated model %s", version, extra={"version": version})
        return self.get(version)

    def get(self, version: str) -> ModelVersion:
        record = self._find(version)
        if record is None:
            raise UnknownVersion(f"no registered model version {version!r}")
        return record

    def _find(self, version: str) -> ModelVersion | None:
        with session_scope(self.url) as session:
            return session.get(ModelVersion, version)

    def _again(self, record: ModelVersion, path: str, job_id: str | None) -> ModelVersion:
        if record.path != path:
            raise EncoreError(
                f"version {record.version} is already registered, from another folder"
            )
        if job_id is not None and record.job_id is None:
            with session_scope(self.url) as session:
                session.execute(
                    update(ModelVersion)
                    .where(ModelVersion.version == record.version)
                    .values(job_id=job_id)
                )
            return self.get(record.version)
        return record

    def active(self) -> ModelVersion | None:
        query = select(ModelVersion).where(ModelVersion.active)
        with session_scope(self.url) as session:
            return session.scalar(query)

    def versions(self) -> list[ModelVersion]:
        query = select(ModelVersion).order_by(ModelVersion.created_at, ModelVersion.version)
        with session_scope(self.url) as session:
            return list(session.scalars(query))

    def _should_activate(self, record: ModelVersion) -> bool:
        current = self.active()
        if current is None:
            return True
        if not self.auto_activate:
            return False
        return float(record.metrics.get("auc", 0.0)) > float(current.metrics.get("auc", 0.0))


def _lock_activation(session: Session) -> None:
    """Serialise activations across processes (SQLite serialises writers by itself)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ACTIVATION_LOCK})


def check_version(folder: Path) -> dict[str, Any]:
    """EncoreError unless the folder loads as a servable version (weights, features and
    catalogue all checked against its manifest); returns its manifest."""
    from encore.artifacts import load_version  # torch and pandas: only when one is checked

    return load_version(folder).manifest
