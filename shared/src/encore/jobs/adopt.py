"""Versions the registry does not know: adopted when they load, moved aside when they do not.

A version folder carries everything its record needs (its manifest names the version, its
final metrics and the fingerprint of its data), so a complete folder that was never
registered (its worker died between the folder's rename and the database insert, or it was
trained elsewhere) loses nothing by being adopted. One that does not load (corrupt, cut
short, without its catalogue) could never serve: it is moved to ``<artifacts>/rejected/`` with
a log line, where an operator can look at it, rather than being deleted or left to be tried
again at every start.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from encore.artifacts import list_versions, models_dir, read_manifest
from encore.artifacts.location import PARTIAL_PREFIX
from encore.db.tables import ModelVersion
from encore.errors import EncoreError
from encore.jobs.registry import ModelRegistry, check_version
from encore.jobs.store import JobStore, UnknownJob
from encore.settings import Settings

log = logging.getLogger(__name__)

REJECTED = "rejected"


@dataclass(frozen=True)
class Reconciled:
    adopted: list[str]
    rejected: list[str]


def adopt(registry: ModelRegistry, store: JobStore, folder: Path, artifacts: Path) -> ModelVersion:
    """Register a version folder made elsewhere (`encore models register PATH`).

    It is checked as an activation checks it; a folder outside ``<artifacts>/models`` is
    copied in first (the API and the workers only see the artifacts folder).
    """
    manifest = check_version(Path(folder))
    inside = _within_models(Path(folder), manifest, artifacts)
    return registry.register(inside, job_id=_known_job(store, manifest))


def reconcile_versions(registry: ModelRegistry, store: JobStore, artifacts: Path) -> Reconciled:
    """Adopt every complete, loadable version folder the registry lacks; move the others
    aside. Registering is idempotent, so a job registering its own version meanwhile is safe."""
    registered = {record.version for record in registry.versions()}
    outcome = Reconciled([], [])
    for info in list_versions(artifacts):
        if info.version in registered:
            continue
        try:
            manifest = _check_in_place(info.path)
        except EncoreError as exc:
            moved = _move_aside(info.path, artifacts)
            log.warning(
                "model %s: never registered and does not load (%s); moved to %s",
                info.version, exc, moved, extra={"version": info.version},
            )  # fmt: skip
            outcome.rejected.append(info.version)
            continue
        registry.register(info.path, job_id=_known_job(store, manifest))
        log.warning(
            "model %s: found on disk but not registered (its worker stopped before "
            "recording it); adopted", info.version, extra={"version": info.version},
        )  # fmt: skip
        outcome.adopted.append(info.version)
    return outcome


def _check_in_place(folder: Path) -> dict[str, Any]:
    manifest = check_version(folder)
    if manifest.get("version") != folder.name:
        raise EncoreError(f"its manifest names version {manifest.get('version')!r}")
    return manifest


def _known_job(store: JobStore, manifest: dict[str, Any]) -> str | None:
    """The job that trained the version, when this records database knows that job."""
    job_id = manifest.get("job_id")
    if not isinstance(job_id, str):
        return None
    try:
        return store.get(job_id).id
    except UnknownJob:
        return None


def _within_models(folder: Path, manifest: dict[str, Any], artifacts: Path) -> Path:
    """The folder itself when it is ``<artifacts>/models/<version>``, else a copy there."""
    models = models_dir(artifacts)
    target = models / str(manifest["version"])
    if folder.resolve() == target.resolve():
        return target
    if target.exists():
        if read_manifest(target) != manifest:
            raise EncoreError(f"{target} already holds a different version of that name")
        return target
    models.mkdir(parents=True, exist_ok=True)
    partial = models / f"{PARTIAL_PREFIX}{secrets.token_hex(6)}"
    try:
        shutil.copytree(folder, partial)
        check_version(partial)
        os.rename(partial, target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return target


def _move_aside(folder: Path, artifacts: Path) -> Path:
    rejected = Path(artifacts) / REJECTED
    rejected.mkdir(parents=True, exist_ok=True)
    target = rejected / folder.name
    if target.exists():
        target = rejected / f"{folder.name}-{secrets.token_hex(2)}"
    os.rename(folder, target)
    return target


def reconcile_settings_versions(settings: Settings) -> Reconciled:
    """``reconcile_versions`` on the records and artifacts folder of `settings`."""
    url = settings.records_url()
    registry = ModelRegistry(url, auto_activate=settings.auto_activate)
    return reconcile_versions(registry, JobStore(url), settings.artifacts_dir)
