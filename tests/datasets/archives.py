"""Archives of a data set folder, as a user would make them, with files changed or added."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path


def files_of(
    folder: Path, changed: dict[str, bytes] | None = None, without: tuple[str, ...] = ()
) -> dict[str, bytes]:
    """The folder's files (name -> bytes), with `changed` ones replaced or added."""
    visible = (p for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith("."))
    found = {p.name: p.read_bytes() for p in visible}
    found.update(changed or {})
    return {name: data for name, data in found.items() if name not in without}


def tar_of(files: dict[str, bytes], compression: str = "gz", prefix: str = "") -> bytes:
    """A tar (``compression``: gz, bz2, xz or "" for none) with each file under `prefix`."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=f"w:{compression}") as tar:  # type: ignore[call-overload]
        for name, data in files.items():
            info = tarfile.TarInfo(prefix + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def zip_of(files: dict[str, bytes], prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in files.items():
            bundle.writestr(prefix + name, data)
    return buffer.getvalue()


def tar_with_member(files: dict[str, bytes], member: tarfile.TarInfo) -> bytes:
    """A tar.gz of `files` with one more member as given (a link, a path that climbs out)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        tar.addfile(member, io.BytesIO(b"x" * member.size) if member.isfile() else None)
    return buffer.getvalue()


def bad_members_csv(folder: Path) -> tuple[bytes, str]:
    """members.csv with 'abc' as the bd of its 6th record (line 7), and that line's number."""
    lines = (folder / "members.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[6].split(",")
    fields[2] = "abc"
    lines[6] = ",".join(fields)
    return "".join(lines).encode(), "members.csv, line 7, column bd"
