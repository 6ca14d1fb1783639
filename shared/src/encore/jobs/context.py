"""What a running job needs: its records, the registry, and where data and models live."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

from encore.jobs.registry import ModelRegistry
from encore.jobs.store import JobStore
from encore.settings import Settings


@dataclass(frozen=True)
class JobContext:
    store: JobStore
    registry: ModelRegistry
    data_dir: Path
    artifacts_dir: Path
    worker: str
    max_upload_bytes: int

    @classmethod
    def from_settings(cls, settings: Settings, worker: str | None = None) -> JobContext:
        url = settings.records_url()
        return cls(
            store=JobStore(url),
            registry=ModelRegistry(url, auto_activate=settings.auto_activate),
            data_dir=settings.data_dir,
            artifacts_dir=settings.artifacts_dir,
            worker=worker or default_worker_name(),
            max_upload_bytes=settings.max_upload_bytes,
        )


def default_worker_name(prefix: str = "worker") -> str:
    """`<prefix>@<host>.<pid>`: the host and pid let a restarted worker tell dead peers."""
    return f"{prefix}@{socket.gethostname()}.{os.getpid()}"
