"""The real KKBOX rows load completely: every record of every file, quirks included."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from encore.ingest import load_dataset
from encore.ingest.diagnose import diagnose
from encore.ingest.textfile import read_header
from encore.schema import INPUT_SPECS


def csv_records(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))[1:]


def test_every_record_of_every_file_is_loaded(sample_dir: Path) -> None:
    dataset = load_dataset(sample_dir)
    frames = {"train": dataset.train, "test": dataset.test, "songs": dataset.songs}
    frames |= {"members": dataset.members, "song_extra_info": dataset.extra}

    counts = {table: len(frame) for table, frame in frames.items()}

    assert counts == {table: len(csv_records(sample_dir / f"{table}.csv")) for table in frames}
    assert counts == {
        "train": 15_000, "test": 3_000, "songs": 30_000,
        "members": 34_403, "song_extra_info": 30_000,
    }  # fmt: skip


def test_multi_line_names_come_out_as_the_csv_module_reads_them(sample_dir: Path) -> None:
    path = sample_dir / "song_extra_info.csv"
    expected = [row[1] or None for row in csv_records(path)]

    names = load_dataset(sample_dir).extra["name"].astype(object)

    assert names.where(names.notna(), None).tolist() == expected
    assert path.read_bytes().count(b"\n") > len(expected) + 100


def test_plays_keep_file_order_and_null_stays_a_value(sample_dir: Path) -> None:
    records = csv_records(sample_dir / "train.csv")

    train = load_dataset(sample_dir).train

    assert train["song_id"].tolist() == [row[1] for row in records]
    assert (train["source_system_tab"] == "null").sum() == sum(r[2] == "null" for r in records)
    assert train["source_system_tab"].isna().sum() == sum(r[2] == "" for r in records)
    assert train["target"].tolist() == [int(row[5]) for row in records]


@pytest.mark.parametrize("spec", INPUT_SPECS, ids=lambda spec: spec.filename)
def test_slow_diagnostic_pass_finds_nothing_wrong_in_real_files(sample_dir: Path, spec) -> None:
    path = sample_dir / spec.filename

    assert diagnose(path, spec, read_header(path, spec)) is None
