"""The model registry: registered versions, exactly one of them active."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from encore.artifacts import load_version, read_manifest
from encore.catalogue import check_catalogue
from encore.db.engine import session_scope
from encore.db.tables import ModelVersion, utcnow
from encore.errors import EncoreError

# Any constant shared by every process that activates versions (PostgreSQL advisory lock).
_ACTIVATION_LOCK = 4_711_003


class UnknownVersion(EncoreError):
    """No registered version has that name."""


@dataclass(frozen=True)
class ModelRegistry:
    url: str
    auto_activate: bool = False

    def register(self, folder: Path, job_id: str | None = None) -> ModelVersion:
        """Record a complete version folder; activate it if none is active (or it is better)."""
        manifest = read_manifest(folder)
        record = ModelVersion(
            version=manifest["version"],
            job_id=job_id,
            path=str(Path(folder).resolve()),
            metrics=manifest.get("final_metrics", {}),
            data_fingerprint=manifest.get("data_fingerprint", {}).get("sha256"),
            active=False,
            created_at=utcnow(),
        )
        with session_scope(self.url) as session:
            session.add(record)
        if self._should_activate(record):
            return self.activate(record.version)
        return record

    def activate(self, version: str) -> ModelVersion:
        """Make `version` the active one, after checking that its files load."""
        record = self.get(version)
        load_version(Path(record.path))
        check_catalogue(Path(record.path))
        with session_scope(self.url) as session:
            _lock_activation(session)
            session.execute(update(ModelVersion).where(ModelVersion.active).values(active=False))
            session.execute(
                update(ModelVersion)
                .where(ModelVersion.version == version)
                .values(active=True, activated_at=utcnow())
            )
        return self.get(version)

    def get(self, version: str) -> ModelVersion:
        with session_scope(self.url) as session:
            record = session.get(ModelVersion, version)
        if record is None:
            raise UnknownVersion(f"no registered model version {version!r}")
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
