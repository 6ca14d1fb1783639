"""The runbook's backup and restore of the records: pg_dump -Fc, then pg_restore into a fresh
database, keeps every job, epoch and version, and the schema stays at the newest revision."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from encore.db import current_revision, head_revision, upgrade
from encore.jobs import JobStore, ModelRegistry
from encore.jobs.views import job_dict, version_dict
from tests.conftest import Trained
from tests.services import fresh_database


def _connection_args(url: str) -> list[str]:
    parsed = make_url(url)
    return ["-h", str(parsed.host), "-p", str(parsed.port or 5432), "-U", str(parsed.username)]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def test_dump_and_restore_keep_the_records(pg_url: str, trained: Trained, tmp_path: Path) -> None:
    store, registry = JobStore(pg_url), ModelRegistry(pg_url)
    job = store.create("train", {"dataset": "tiny", "preset": "default", "params": {}})
    store.claim(job.id, "worker@a.1", 1)
    store.record_epoch(job.id, 0, trained.result.history[0])
    version = registry.register(trained.write(tmp_path / "artifacts"), job_id=job.id)
    store.succeed(job.id, {"version": version.version}, version.version)
    dump = tmp_path / "encore.dump"
    database = str(make_url(pg_url).database)
    with dump.open("wb") as out:
        subprocess.run(
            [_tool("pg_dump"), *_connection_args(pg_url), "-Fc", database], stdout=out, check=True
        )
    with fresh_database() as restored, dump.open("rb") as backup:
        target = str(make_url(restored).database)
        subprocess.run(
            [_tool("pg_restore"), *_connection_args(restored), "-d", target, "--clean",
             "--if-exists", "--no-owner"],
            stdin=backup, check=True, capture_output=True,
        )  # fmt: skip
        assert current_revision(restored) == head_revision()
        assert upgrade(restored) == head_revision()  # what migrate does next: nothing
        copy = JobStore(restored)
        assert job_dict(copy.get(job.id), copy.epochs(job.id)) == job_dict(
            store.get(job.id), store.epochs(job.id)
        )
        assert version_dict(ModelRegistry(restored).get(version.version)) == version_dict(
            registry.get(version.version)
        )
        assert ModelRegistry(restored).active().version == version.version  # type: ignore[union-attr]
