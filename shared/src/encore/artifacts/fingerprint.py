"""Fingerprints of input files: size and SHA-256 each, read in blocks, plus one combined digest."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from encore.errors import EncoreError


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, streamed so any size fits in memory."""
    try:
        with Path(path).open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise EncoreError(f"cannot read {path} to fingerprint it: {exc.strerror}") from None


def fingerprint(files: list[Path]) -> dict[str, Any]:
    """``{"sha256": combined, "files": [{"name", "path", "bytes", "sha256"}, ...]}``.

    The combined digest covers each file's name, size and digest, in the order given, so
    the same data under another folder has the same fingerprint.
    """
    entries = [_entry(Path(path)) for path in files]
    combined = hashlib.sha256()
    for entry in entries:
        combined.update(f"{entry['name']}\0{entry['bytes']}\0{entry['sha256']}\n".encode())
    return {"sha256": combined.hexdigest(), "files": entries}


def _entry(path: Path) -> dict[str, Any]:
    digest = file_digest(path)
    return {
        "name": path.name,
        "path": str(path.resolve()),
        "bytes": path.stat().st_size,
        "sha256": digest,
    }
