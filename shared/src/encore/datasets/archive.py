"""Unpacking an uploaded archive (tar, plain or compressed, or zip) into a data set folder.

Only the files a data set holds are written, under their plain names, whatever folders the
archive puts them in; links, devices and paths that climb out are refused. The bytes written
are counted against the upload limit as they are written (a small archive may unpack into a
large file), and free space is checked before each file.
"""

from __future__ import annotations

import stat
import tarfile
import zipfile
import zlib
from pathlib import Path
from typing import IO

from encore.datasets.errors import DatasetRefused
from encore.datasets.files import member_file
from encore.datasets.room import Budget, ensure_room

CHUNK = 1024 * 1024
NOT_AN_ARCHIVE = (
    "the upload is not a tar or zip archive of the data set's files "
    "(e.g. `tar -czf kkbox.tar.gz -C kkbox .`)"
)


# How each accepted kind of archive begins (tar: "ustar" at offset 257 of its first header).
MAGIC = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"PK\x03\x04", b"PK\x05\x06")
TAR_MAGIC_AT = 257
SNIFF_BYTES = 512


def looks_like_archive(head: bytes) -> bool:
    """Whether the first SNIFF_BYTES of an upload (or all of a shorter one) begin an archive
    `unpack` may read: a cheap check that refuses anything else before it is stored."""
    return head.startswith(MAGIC) or head[TAR_MAGIC_AT : TAR_MAGIC_AT + 5] == b"ustar"


def unpack(archive: Path, dest: Path, limit: int) -> list[str]:
    """Write the archive's data set files into `dest`; their names, in archive order."""
    budget = Budget(limit, "the upload's files once unpacked")
    try:
        if zipfile.is_zipfile(archive):
            return _unzip(archive, dest, budget)
        return _untar(archive, dest, budget)
    except (tarfile.TarError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise DatasetRefused(f"the archive is damaged or cut short ({exc})") from None


def copy_into(source: IO[bytes], target: Path, budget: Budget) -> None:
    """Copy a file's bytes, counting them; refuses a second file of the same name."""
    if target.exists():
        raise DatasetRefused(f"{target.name} appears twice in the upload")
    with target.open("xb") as out:
        while chunk := source.read(CHUNK):
            budget.take(len(chunk))
            out.write(chunk)


def _untar(archive: Path, dest: Path, budget: Budget) -> list[str]:
    written: list[str] = []
    try:
        tar = tarfile.open(archive, mode="r|*")  # noqa: SIM115 (closed below)
    except tarfile.ReadError:
        raise DatasetRefused(NOT_AN_ARCHIVE) from None
    with tar:
        for member in tar:
            name = _wanted(member.name, member.isdir(), member.isfile())
            if name is None:
                continue
            ensure_room(dest, member.size)
            source = tar.extractfile(member)
            assert source is not None  # a regular file always has its bytes
            copy_into(source, dest / name, budget)
            written.append(name)
    return written


def _unzip(archive: Path, dest: Path, budget: Budget) -> list[str]:
    written: list[str] = []
    with zipfile.ZipFile(archive) as bundle:
        for info in bundle.infolist():
            kind = stat.S_IFMT(info.external_attr >> 16)
            regular = kind in (0, stat.S_IFREG)  # 0: made where files have no Unix mode
            name = _wanted(info.filename, info.is_dir(), regular and not info.is_dir())
            if name is None:
                continue
            ensure_room(dest, info.file_size)
            try:
                with bundle.open(info) as source:
                    copy_into(source, dest / name, budget)
            except RuntimeError as exc:  # encrypted, or a compression zipfile cannot read
                raise DatasetRefused(f"{info.filename}: {exc}") from None
            written.append(name)
    return written


def _wanted(path: str, is_dir: bool, is_file: bool) -> str | None:
    """The file a member becomes, None to leave it out; refuses links and special files."""
    if is_dir:
        return None
    name = member_file(path)
    if name is not None and not is_file:
        raise DatasetRefused(f"{path}: links and special files are not accepted")
    return name

