"""Data sets on disk: published whole, never over another, deleted only when no job uses them,
and what dead uploads leave behind swept away."""

from __future__ import annotations

import os
import tarfile
import time
from pathlib import Path

import pytest

from encore.datasets.errors import DatasetExists, DatasetInUse, DatasetRefused, UnknownDataset
from encore.datasets.importing import import_source
from encore.datasets.store import UPLOADS, DatasetStore
from tests.datasets.archives import bad_members_csv

LIMIT = 100 * 1024 * 1024


def _visible(data_dir: Path) -> list[str]:
    return sorted(entry.name for entry in data_dir.iterdir() if entry.name != UPLOADS)


def _staged(data_dir: Path) -> list[str]:
    uploads = data_dir / UPLOADS
    return sorted(entry.name for entry in uploads.iterdir()) if uploads.is_dir() else []


def test_an_import_publishes_the_folder_with_its_profile(
    trained_data: Path, tmp_path: Path
) -> None:
    store = DatasetStore(tmp_path)
    imported = import_source(store, trained_data, "tiny", LIMIT)
    assert _visible(tmp_path) == ["tiny"] and _staged(tmp_path) == []
    assert imported["profile"]["files"]["train.csv"]["records"] == 5_000
    assert sorted(imported["files"]) == sorted(p.name for p in trained_data.iterdir())
    assert store.describe("tiny") == imported
    assert store.names() == ["tiny"]


def test_a_name_that_is_taken_is_refused_and_the_data_set_kept(
    trained_data: Path, tmp_path: Path
) -> None:
    store = DatasetStore(tmp_path)
    first = import_source(store, trained_data, "tiny", LIMIT)
    with pytest.raises(DatasetExists, match="exists already"):
        import_source(store, trained_data, "tiny", LIMIT)
    assert store.describe("tiny") == first and _staged(tmp_path) == []


def test_an_invalid_import_leaves_nothing(trained_data: Path, tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for path in trained_data.iterdir():
        (source / path.name).write_bytes(path.read_bytes())
    members, where = bad_members_csv(trained_data)
    (source / "members.csv").write_bytes(members)
    store = DatasetStore(tmp_path / "data")
    with pytest.raises(Exception, match=where):
        import_source(store, source, "tiny", LIMIT)
    assert _visible(tmp_path / "data") == [] and _staged(tmp_path / "data") == []


def test_a_data_set_restored_from_a_tar_backup_keeps_its_profile(
    trained_data: Path, tmp_path: Path
) -> None:
    store = DatasetStore(tmp_path / "data")
    imported = import_source(store, trained_data, "tiny", LIMIT)
    backup = tmp_path / "backup.tar.gz"
    # GNU tar (the runbook's backups) keeps whole seconds of each mtime
    with tarfile.open(backup, "w:gz", format=tarfile.GNU_FORMAT) as tar:
        tar.add(tmp_path / "data" / "tiny", arcname="tiny")
    store.delete("tiny", list)
    with tarfile.open(backup) as tar:
        tar.extractall(tmp_path / "data", filter="tar")
    assert store.describe("tiny") == imported


def test_a_changed_file_makes_the_stored_profile_stale(trained_data: Path, tmp_path: Path) -> None:
    store = DatasetStore(tmp_path)
    import_source(store, trained_data, "tiny", LIMIT)
    with (tmp_path / "tiny" / "train.csv").open("a") as handle:
        handle.write("")
    os.utime(tmp_path / "tiny" / "train.csv", ns=(1, 1))
    assert store.describe("tiny")["profile"] is None


def test_delete_is_refused_while_a_job_uses_the_data_set(
    trained_data: Path, tmp_path: Path
) -> None:
    store = DatasetStore(tmp_path)
    import_source(store, trained_data, "tiny", LIMIT)
    with pytest.raises(DatasetInUse, match="in use by queued or running job"):
        store.delete("tiny", lambda: ["job-1"])
    assert store.describe("tiny")["profile"] is not None


def test_a_job_submitted_during_the_delete_puts_the_data_set_back(
    trained_data: Path, tmp_path: Path
) -> None:
    store = DatasetStore(tmp_path)
    before = import_source(store, trained_data, "tiny", LIMIT)
    answers = iter([[], ["job-2"]])  # none at the first look, one at the second
    with pytest.raises(DatasetInUse, match="job-2"):
        store.delete("tiny", lambda: next(answers))
    assert store.describe("tiny") == before and _staged(tmp_path) == []


def test_deleting_a_linked_data_set_removes_only_the_link(
    trained_data: Path, tmp_path: Path
) -> None:
    (tmp_path / "linked").symlink_to(trained_data)
    store = DatasetStore(tmp_path)
    assert store.describe("linked")["profile"] is None  # put there by hand: never profiled
    store.delete("linked", list)
    assert store.names() == [] and (trained_data / "train.csv").is_file()
    with pytest.raises(UnknownDataset, match="no data set 'linked'"):
        store.delete("linked", list)


@pytest.mark.parametrize("name", ["..", ".", "../x", "a/b", ".uploads", "a\\b", "x\x00y"])
def test_names_that_are_not_plain_are_refused(name: str, tmp_path: Path) -> None:
    with pytest.raises(DatasetRefused, match="must be a plain name"):
        DatasetStore(tmp_path / "data").folder(name)


def test_staging_left_by_a_dead_upload_is_swept_and_a_live_one_kept(tmp_path: Path) -> None:
    store = DatasetStore(tmp_path)
    dead, live = store.new_staging(), store.new_staging()
    (dead / "upload").write_bytes(b"x")
    old = time.time() - 2 * 24 * 3600
    for path in (dead / "upload", dead):
        os.utime(path, (old, old))
    assert store.sweep_stale() == [dead.name]
    assert _staged(tmp_path) == [live.name]
