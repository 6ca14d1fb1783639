"""Byte budgets for an upload and its unpacked files, and free space on the data volume."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from encore.datasets.errors import NoRoom, UploadTooLarge

# Free space an upload must leave on the data volume (Postgres and Redis may share it).
RESERVE_BYTES = 512 * 1024 * 1024


@dataclass
class Budget:
    """At most `limit` bytes of `what`; `take` counts them as they come."""

    limit: int
    what: str
    used: int = 0

    def take(self, size: int) -> None:
        self.used += size
        self.check(self.used)

    def check(self, size: int) -> None:
        """UploadTooLarge if `size` bytes would not fit (a declared length, say)."""
        if size > self.limit:
            raise UploadTooLarge(
                f"{self.what} larger than {self.limit:,} bytes (ENCORE_MAX_UPLOAD_BYTES)"
            )


def ensure_room(folder: Path, needed: int) -> None:
    """NoRoom unless `needed` more bytes leave RESERVE_BYTES free where `folder` lies."""
    free = free_bytes(folder)
    if free - needed < RESERVE_BYTES:
        raise NoRoom(
            f"not enough free space for the data set: {free:,} bytes free, {needed:,} needed "
            f"and {RESERVE_BYTES:,} kept free"
        )


def free_bytes(folder: Path) -> int:
    return shutil.disk_usage(folder).free
