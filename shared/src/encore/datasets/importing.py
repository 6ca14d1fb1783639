"""Importing a data set: unpack or copy its files into a staging folder, validate them with
the ingest, and publish the folder under its name. A failure at any step leaves nothing.

The API's PUT /datasets/NAME streams the body into a staging folder and queues an import job
(`import_upload`, run by a worker: validating a full-size set takes about 2.5 GB, more than
the API's memory budget); `encore datasets import` runs `import_source` in its own process.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from encore.datasets.archive import copy_into, unpack
from encore.datasets.check import check_dataset
from encore.datasets.errors import DatasetRefused
from encore.datasets.files import member_file
from encore.datasets.room import Budget, ensure_room
from encore.datasets.store import UPLOAD_FILE, DatasetStore, remove_tree

Stage = Callable[[str], None]
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar", ".zip")


def import_source(store: DatasetStore, source: Path, name: str, limit: int) -> dict[str, Any]:
    """A folder of KKBOX files, or an archive of them, as the data set `name`."""
    if not source.exists():
        raise DatasetRefused(f"{source}: no such file or folder")
    store.refuse_existing(name)

    def fill(files: Path) -> None:
        if source.is_dir():
            copy_folder(source, files, limit)
        else:
            unpack(source, files, limit)

    return _import(store, store.new_staging(), fill, name, {"source": str(source)})


def import_upload(
    store: DatasetStore, upload: str, name: str, limit: int, job_id: str, stage: Stage
) -> dict[str, Any]:
    """The archive the API staged as `upload`, as the data set `name` (an import job)."""
    staging = store.staging(upload)

    def fill(files: Path) -> None:
        unpack(staging / UPLOAD_FILE, files, limit)
        (staging / UPLOAD_FILE).unlink()  # the archive's space back before validating

    origin = {"source": "upload", "job_id": job_id}
    return _import(store, staging, fill, name, origin, stage)


def copy_folder(source: Path, files: Path, limit: int) -> list[str]:
    """The data set files directly in `source` (subfolders are not looked into)."""
    budget = Budget(limit, "the data set's files")
    copied = []
    for path in sorted(source.iterdir()):
        name = member_file(path.name) if path.is_file() else None
        if name is None:
            continue
        ensure_room(files, path.stat().st_size)
        with path.open("rb") as handle:
            copy_into(handle, files / name, budget)
        copied.append(name)
    return copied


def default_name(source: Path) -> str:
    """`./kkbox` or `kkbox.tar.gz` are the data set `kkbox`."""
    name = source.resolve().name
    for suffix in ARCHIVE_SUFFIXES:
        if source.is_file() and name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def _import(
    store: DatasetStore,
    staging: Path,
    fill: Callable[[Path], None],
    name: str,
    origin: dict[str, Any],
    stage: Stage = lambda _: None,
) -> dict[str, Any]:
    try:
        files = staging / "files"
        files.mkdir()
        stage("unpacking")
        fill(files)
        stage("validating")
        profile = check_dataset(files)
        stage("publishing")
        imported_at = datetime.now(UTC).isoformat()
        store.publish(files, name, {"imported_at": imported_at, **origin, "profile": profile})
    finally:
        remove_tree(staging)
    return store.describe(name)
