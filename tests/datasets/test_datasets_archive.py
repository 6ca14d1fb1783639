"""Unpacking an upload: every accepted kind of archive, and each refusal, leaving no file out
of place."""

from __future__ import annotations

import random
import tarfile
from pathlib import Path

import pytest

from encore.datasets.archive import SNIFF_BYTES, looks_like_archive, unpack
from encore.datasets.errors import DatasetRefused, UploadTooLarge
from tests.datasets.archives import tar_of, tar_with_member, zip_of

LIMIT = 100 * 1024 * 1024


def _unpacked(archive: bytes, tmp_path: Path, limit: int = LIMIT) -> dict[str, bytes]:
    (tmp_path / "upload").write_bytes(archive)
    (tmp_path / "files").mkdir()
    unpack(tmp_path / "upload", tmp_path / "files", limit)
    return {p.name: p.read_bytes() for p in (tmp_path / "files").iterdir()}


@pytest.mark.parametrize(
    "archive",
    [
        lambda files: tar_of(files, "gz"),
        lambda files: tar_of(files, "bz2"),
        lambda files: tar_of(files, "xz"),
        lambda files: tar_of(files, ""),
        lambda files: tar_of(files, "gz", prefix="./"),
        lambda files: tar_of(files, "gz", prefix="kkbox/"),
        lambda files: zip_of(files),
        lambda files: zip_of(files, prefix="kkbox/"),
    ],
    ids=["tar.gz", "tar.bz2", "tar.xz", "tar", "dot-prefix", "in-a-folder", "zip", "zip-folder"],
)
def test_every_kind_of_archive_unpacks_to_the_same_files(
    archive: object, dataset_files: dict[str, bytes], tmp_path: Path
) -> None:
    packed = archive(dataset_files)  # type: ignore[operator]
    assert looks_like_archive(packed[:SNIFF_BYTES])
    assert _unpacked(packed, tmp_path) == dataset_files


def test_hidden_files_and_macos_metadata_are_left_out(
    dataset_files: dict[str, bytes], tmp_path: Path
) -> None:
    extras = {".DS_Store": b"x", "._train.csv": b"x", "__MACOSX/._songs.csv": b"x"}
    assert _unpacked(tar_of({**dataset_files, **extras}), tmp_path) == dataset_files


def _link(name: str, kind: bytes) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.type = kind
    member.linkname = "/etc/passwd"
    return member


def _file(name: str) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.size = 3
    return member


@pytest.mark.parametrize(
    ("member", "message"),
    [
        (_file("../train.csv"), "../train.csv: a path that leaves the data set's folder"),
        (_file("a/../../songs.csv"), "a path that leaves the data set's folder"),
        (_file("/etc/test.csv"), "/etc/test.csv: a path that leaves the data set's folder"),
        (_file("C:\\Windows\\test.csv"), "a path that leaves the data set's folder"),
        (_link("test.csv", tarfile.SYMTYPE), "test.csv: links and special files"),
        (_link("test.csv", tarfile.LNKTYPE), "test.csv: links and special files"),
        (_file("notes.txt"), "notes.txt: not a file of a KKBOX data set (accepted: train.csv"),
    ],
    ids=["climbs", "climbs-deeper", "absolute", "drive", "symlink", "hardlink", "unknown"],
)
def test_members_that_would_escape_or_do_not_belong_are_refused(
    member: tarfile.TarInfo, message: str, dataset_files: dict[str, bytes], tmp_path: Path
) -> None:
    without_test = {k: v for k, v in dataset_files.items() if k != "test.csv"}
    with pytest.raises(DatasetRefused, match=message.replace("\\", "\\\\").replace("(", "\\(")):
        _unpacked(tar_with_member(without_test, member), tmp_path)
    assert not (tmp_path.parent / "train.csv").exists() and not Path("/etc/test.csv").exists()


def test_a_file_twice_is_refused(dataset_files: dict[str, bytes], tmp_path: Path) -> None:
    twice = tar_with_member(dataset_files, _file("copy/train.csv"))
    with pytest.raises(DatasetRefused, match=r"train\.csv appears twice"):
        _unpacked(twice, tmp_path)


def test_files_that_unpack_beyond_the_limit_are_refused(tmp_path: Path) -> None:
    bomb = tar_of({"train.csv": b"0" * 5_000_000})  # about 5 kB packed
    assert len(bomb) < 50_000
    with pytest.raises(UploadTooLarge, match="once unpacked larger than 1,000,000 bytes"):
        _unpacked(bomb, tmp_path, limit=1_000_000)


@pytest.mark.parametrize(
    ("archive", "message"),
    [
        (b"train.csv,hello\n" * 100, "not a tar or zip archive"),
        (tar_of({"train.csv": random.Random(0).randbytes(100_000)})[:-2_000], "cut short"),
    ],
    ids=["csv", "cut-short"],
)
def test_what_is_no_archive_or_a_damaged_one_is_refused(
    archive: bytes, message: str, tmp_path: Path
) -> None:
    with pytest.raises(DatasetRefused, match=message):
        _unpacked(archive, tmp_path)
