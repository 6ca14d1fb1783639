"""Data sets on disk: one folder each under ENCORE_DATA_DIR, there whole or not at all.

An upload or import is unpacked and validated in a staging folder under `.uploads/` (hidden:
never listed, never a valid name) on the same volume, then renamed into place in one step.
A delete renames the folder away first, so that a job submitted meanwhile finds nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from encore.datasets.errors import DatasetExists, DatasetInUse, DatasetRefused, UnknownDataset
from encore.datasets.names import check_dataset_name

UPLOADS = ".uploads"
# What the API writes the request body to, inside an upload's staging folder.
UPLOAD_FILE = "upload"
# Each data set's record (how it came, its profile), beside its files; the ingest ignores it.
RECORD = ".dataset.json"
# Staging folders untouched this long belong to an upload or import that died.
STALE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class DatasetStore:
    data_dir: Path

    def folder(self, name: str) -> Path:
        """Where the data set `name` lives (or would); refuses a name that is not plain."""
        try:
            return self.data_dir / check_dataset_name(name)
        except ValueError as exc:
            raise DatasetRefused(f"name: {exc}") from None

    def existing(self, name: str) -> Path:
        folder = self.folder(name)
        if not folder.is_dir():
            raise UnknownDataset(f"no data set {name!r}")
        return folder

    def refuse_existing(self, name: str) -> None:
        if os.path.lexists(self.folder(name)):
            raise DatasetExists(
                f"data set {name!r} exists already: delete it first, or choose another name"
            )

    def names(self) -> list[str]:
        if not self.data_dir.is_dir():
            return []
        return sorted(
            entry.name
            for entry in self.data_dir.iterdir()
            if not entry.name.startswith(".") and entry.is_dir()
        )

    def describe(self, name: str, with_profile: bool = True) -> dict[str, Any]:
        """Name, files and sizes, how it came; with the profile stored when it was imported
        (None if it was not imported, or its files changed since)."""
        folder = self.existing(name)
        files = _files(folder)
        record = read_record(folder)
        facts: dict[str, Any] = {
            "name": name,
            "files": {file: size for file, (size, _) in files.items()},
            "bytes": sum(size for size, _ in files.values()),
            "imported_at": record.get("imported_at"),
            "job_id": record.get("job_id"),
        }
        if with_profile:
            current = record.get("stamp") == _stamp(files)
            facts["profile"] = record.get("profile") if current else None
        return facts

    def remember_profile(self, name: str, profile: dict[str, Any]) -> None:
        """Keep a profile computed for a data set that was not imported (best effort; never
        through a link, which may lead out of the data folder)."""
        folder = self.existing(name)
        if folder.is_symlink():
            return
        record = {**read_record(folder), "profile": profile, "stamp": _stamp(_files(folder))}
        with contextlib.suppress(OSError):  # a folder this process may not write to
            write_record(folder, record)

    def new_staging(self) -> Path:
        uploads = self.data_dir / UPLOADS
        uploads.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="upload-", dir=uploads))

    def staging(self, upload: str) -> Path:
        folder = self.data_dir / UPLOADS / check_dataset_name(upload)
        if not folder.is_dir():
            raise DatasetRefused(f"the upload {upload!r} is gone (removed, or never finished)")
        return folder

    def publish(self, files: Path, name: str, record: dict[str, Any]) -> None:
        """Make the folder `files` the data set `name`, in one rename, with its record."""
        write_record(files, {**record, "stamp": _stamp(_files(files))})
        self.refuse_existing(name)
        try:
            os.rename(files, self.folder(name))
        except OSError as exc:  # another upload of the same name won the race
            if not os.path.lexists(self.folder(name)):
                raise
            raise DatasetExists(f"data set {name!r} exists already") from exc
        _sync(self.data_dir)

    def delete(self, name: str, users: Callable[[], list[str]]) -> None:
        """Remove the data set, unless `users` (ids of jobs using it) names one."""
        folder = self.folder(name)
        if not os.path.lexists(folder):
            raise UnknownDataset(f"no data set {name!r}")
        _refuse_if_used(name, users)
        parked = self.new_staging() / name
        try:
            os.rename(folder, parked)
        except OSError:
            remove_tree(parked.parent)
            raise
        try:
            _refuse_if_used(name, users)  # a job may have been submitted just before the rename
        except BaseException:
            os.rename(parked, folder)
            remove_tree(parked.parent)  # empty now
            raise
        remove_tree(parked.parent)

    def sweep_stale(self, max_age: float = STALE_SECONDS) -> list[str]:
        """Remove staging folders left by uploads or imports that died; their names."""
        uploads = self.data_dir / UPLOADS
        if not uploads.is_dir():
            return []
        cutoff = time.time() - max_age
        stale = [entry for entry in uploads.iterdir() if _last_touched(entry) < cutoff]
        for entry in stale:
            remove_tree(entry)
        return [entry.name for entry in stale]


def read_record(folder: Path) -> dict[str, Any]:
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def write_record(folder: Path, record: dict[str, Any]) -> None:
    """Atomically: a temporary file, flushed, renamed."""
    temporary = folder / f"{RECORD}.{uuid.uuid4().hex}"
    with temporary.open("w", encoding="utf-8") as out:
        json.dump(record, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, folder / RECORD)


def remove_tree(folder: Path) -> None:
    """Remove a folder and everything in it; a link to a folder loses only the link."""
    if folder.is_symlink() or folder.is_file():
        folder.unlink(missing_ok=True)
    else:
        shutil.rmtree(folder, ignore_errors=True)


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    """Each visible file's size and modification time, in whole seconds: what a backup with
    tar keeps, so a restored data set keeps its profile."""
    found = {}
    for entry in sorted(folder.iterdir()):
        if not entry.name.startswith(".") and entry.is_file():
            facts = entry.stat()
            found[entry.name] = (facts.st_size, int(facts.st_mtime))
    return found


def _stamp(files: dict[str, tuple[int, int]]) -> dict[str, list[int]]:
    return {name: list(facts) for name, facts in files.items()}


def _refuse_if_used(name: str, users: Callable[[], list[str]]) -> None:
    jobs = users()
    if jobs:
        raise DatasetInUse(
            f"data set {name!r} is in use by queued or running job(s) {', '.join(jobs)}: "
            "wait for them to end, or cancel them"
        )


def _last_touched(entry: Path) -> float:
    try:
        times = [entry.lstat().st_mtime]
        if entry.is_dir() and not entry.is_symlink():
            times += [child.lstat().st_mtime for child in entry.iterdir()]
    except OSError:
        return time.time()
    return max(times)


def _sync(folder: Path) -> None:
    """Make a rename in `folder` durable."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
