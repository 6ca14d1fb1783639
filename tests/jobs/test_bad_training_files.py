"""Training on damaged files: the job ends failed with the ingest's message (file, line, problem),
no version is created, and the active model and earlier jobs stay as they were.

The jobs run on the embedded worker: RQ workers run the same `execute`, and a job's first
recorded failure stands (tests/jobs/test_rq_jobs.py covers RQ's own failure paths)."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from encore.db import upgrade
from encore.jobs import EmbeddedWorker, JobService, JobStore, ModelRegistry
from encore.settings import Settings
from tests.jobs.conftest import DATASET, QUICK
from tests.services import service_settings

# The files a training job reads, and the ones these tests damage.
COPIED = ("train.csv", "songs.csv", "members.csv", "song_extra_info.csv")


def drop_column(name: str) -> Callable[[Path], None]:
    """Remove a column from the header and from every record."""

    def damage(path: Path) -> None:
        with path.open(newline="", encoding="utf-8") as handle:
            records = list(csv.reader(handle))
        position = records[0].index(name)
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows(
                record[:position] + record[position + 1 :] for record in records
            )

    return damage


def cut_mid_line(path: Path) -> None:
    """Stop the file halfway through the record in its middle, as an interrupted copy does."""
    data = path.read_bytes()
    start = data.index(b"\n", len(data) // 2) + 1
    end = data.index(b"\n", start)
    path.write_bytes(data[: (start + end) // 2])


def cut_mid_quote(path: Path) -> None:
    """Stop the file just inside a quoted field."""
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b',"', len(data) // 2) + 4])


def empty(path: Path) -> None:
    path.write_bytes(b"")


def last_line(path: Path) -> int:
    return path.read_bytes().count(b"\n") + 1


@dataclass(frozen=True)
class Case:
    file: str
    damage: Callable[[Path], None]
    # The start of the job's error, from the damaged file.
    expected: Callable[[Path], str]


def header_lacks(file: str, column: str) -> Case:
    return Case(file, drop_column(column), lambda _: f"{file}, line 1, column {column}: missing")


def cut(file: str, damage: Callable[[Path], None] = cut_mid_line) -> Case:
    return Case(file, damage, lambda path: f"{file}, line {last_line(path)}")


def emptied(file: str) -> Case:
    return Case(file, empty, lambda _: f"{file}, line 1: the file is empty, expected a header")


CASES = {
    "train.csv without source_type": header_lacks("train.csv", "source_type"),
    "train.csv without target": header_lacks("train.csv", "target"),
    "members.csv without bd": header_lacks("members.csv", "bd"),
    "songs.csv without song_length": header_lacks("songs.csv", "song_length"),
    "train.csv cut mid-line": cut("train.csv"),
    "members.csv cut mid-line": cut("members.csv"),
    "songs.csv cut mid-line": cut("songs.csv"),
    "songs.csv cut inside a quoted field": cut("songs.csv", cut_mid_quote),
    "train.csv empty": emptied("train.csv"),
    "members.csv empty": emptied("members.csv"),
    "songs.csv empty": emptied("songs.csv"),
}


@dataclass(frozen=True)
class Baseline:
    """Embedded records holding one succeeded job whose version is active."""

    settings: Settings
    job_id: str
    version: str

    @property
    def store(self) -> JobStore:
        return JobStore(self.settings.records_url())

    @property
    def registry(self) -> ModelRegistry:
        return ModelRegistry(self.settings.records_url())


@pytest.fixture(scope="module")
def baseline(data_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    """Embedded records after one good training job; each test's damaged set goes beside it."""
    folder = tmp_path_factory.mktemp("bad-files")
    (folder / "data").mkdir()
    (folder / "data" / DATASET).symlink_to(data_root / DATASET)
    settings = service_settings(None, None, folder / "data", folder / "artifacts")
    settings.artifacts_dir.mkdir()
    upgrade(settings.records_url())
    job_id = submit(settings, DATASET)
    assert EmbeddedWorker(settings).drain() == 1
    done = JobStore(settings.records_url()).get(job_id)
    assert done.status == "succeeded" and done.model_version, done.error
    return Baseline(settings, job_id, done.model_version)


def damaged_copy(data_root: Path, into: Path, name: str, case: Case) -> Path:
    folder = into / name
    folder.mkdir()
    for file in COPIED:
        shutil.copyfile(data_root / DATASET / file, folder / file)
    case.damage(folder / case.file)
    return folder / case.file


def submit(settings: Settings, dataset: str) -> str:
    params = {"dataset": dataset, "params": QUICK}
    return JobService.from_settings(settings).submit("train", params).id


def snapshot(baseline: Baseline, leaving_out: str = "") -> dict[str, object]:
    """What a failed job must leave as it was: versions, the active one, files, other jobs."""
    active = baseline.registry.active()
    models = baseline.settings.artifacts_dir / "models"
    jobs = [job for job in baseline.store.recent() if job.id != leaving_out]
    return {
        "versions": [v.version for v in baseline.registry.versions()],
        "active": active.version if active else None,
        "folders": sorted(p.name for p in models.iterdir()),  # a partial version too
        "jobs": [(job.id, job.status, job.model_version) for job in jobs],
    }


@pytest.mark.parametrize("name", CASES)
def test_a_damaged_file_fails_the_job_with_the_ingest_message(
    baseline: Baseline, data_root: Path, name: str
) -> None:
    case = CASES[name]
    dataset = name.replace(" ", "-").replace(".", "-")
    damaged = damaged_copy(data_root, baseline.settings.data_dir, dataset, case)
    before = snapshot(baseline)
    job_id = submit(baseline.settings, dataset)
    assert EmbeddedWorker(baseline.settings).drain() == 1

    job = baseline.store.get(job_id)
    assert job.status == "failed"
    assert job.error is not None and job.error.startswith(case.expected(damaged)), job.error
    assert "\n" not in job.error and "Traceback" not in job.error
    assert job.model_version is None
    assert snapshot(baseline, leaving_out=job_id) == before
    assert before["active"] == baseline.version


def test_the_worker_trains_good_data_right_after_a_bad_file(
    baseline: Baseline, data_root: Path
) -> None:
    damaged_copy(data_root, baseline.settings.data_dir, "empty-first", CASES["train.csv empty"])
    bad, good = submit(baseline.settings, "empty-first"), submit(baseline.settings, DATASET)
    assert EmbeddedWorker(baseline.settings).drain() == 2
    assert baseline.store.get(bad).status == "failed"
    assert baseline.store.get(good).status == "succeeded"
    assert baseline.store.get(baseline.job_id).status == "succeeded"
    assert (active := baseline.registry.active()) is not None
    assert active.version == baseline.version  # auto-activation is off: the first one stays
