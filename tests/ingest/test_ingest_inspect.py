"""`encore inspect`: its figures against an independent count with the csv module."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from encore.cli import main

MakeFolder = Callable[..., Path]  # the make_folder fixture (tests/ingest/conftest.py)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def expected_profile(folder: Path) -> dict[str, Any]:
    rows = {name: read_rows(folder / f"{name}.csv") for name in ("train", "test", "songs")}
    rows["members"] = read_rows(folder / "members.csv")
    rows["song_extra_info"] = read_rows(folder / "song_extra_info.csv")
    train_users = {r["msno"] for r in rows["train"]}
    train_songs = {r["song_id"] for r in rows["train"]}
    test = rows["test"]
    test_users = {r["msno"] for r in test}

    def share(plays: list[dict[str, str]], key: str, table: str) -> float:
        known = {r[key] for r in rows[table]}
        return sum(r[key] in known for r in plays) / len(plays)

    return {
        "records": {name: len(table) for name, table in rows.items()},
        "users": [len(train_users), len(test_users), len(train_users | test_users)],
        "songs_all": len(train_songs | {r["song_id"] for r in test}),
        "train_songs_found": share(rows["train"], "song_id", "songs"),
        "test_extra_found": share(test, "song_id", "song_extra_info"),
        "user_unseen": sum(r["msno"] not in train_users for r in test) / len(test),
        "song_unseen": sum(r["song_id"] not in train_songs for r in test) / len(test),
        "target_rate": sum(r["target"] == "1" for r in rows["train"]) / len(rows["train"]),
        "composer_missing": sum(r["composer"] == "" for r in rows["songs"]) / len(rows["songs"]),
    }


def run_inspect(folder: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert main(["inspect", "--data", str(folder), *extra]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


# Shares in the JSON profile have six decimals.
SHARE = 5e-7


def test_json_profile_of_the_sample_matches_a_csv_module_count(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = expected_profile(sample_dir)

    profile = json.loads(run_inspect(sample_dir, capsys, "--json"))

    files = profile["files"]
    assert {name.removesuffix(".csv"): f["records"] for name, f in files.items()} == expected[
        "records"
    ]
    assert [profile["users"][k] for k in ("train", "test", "all")] == expected["users"]
    assert profile["songs"]["all"] == expected["songs_all"]
    coverage = profile["join_coverage"]
    assert coverage["train"]["songs.csv"] == pytest.approx(expected["train_songs_found"], abs=SHARE)
    extra_found = pytest.approx(expected["test_extra_found"], abs=SHARE)
    assert coverage["test"]["song_extra_info.csv"] == extra_found
    assert coverage["train"]["members.csv"] == 1.0
    cold = profile["test_cold_start"]
    assert cold["user_unseen_in_train"] == pytest.approx(expected["user_unseen"], abs=SHARE)
    assert cold["song_unseen_in_train"] == pytest.approx(expected["song_unseen"], abs=SHARE)
    assert profile["target_rate"] == pytest.approx(expected["target_rate"], abs=SHARE)
    composer_missing = pytest.approx(expected["composer_missing"], abs=SHARE)
    assert files["songs.csv"]["missing"]["composer"] == composer_missing


def test_text_profile_of_the_sample_is_short_and_shows_the_key_figures(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = expected_profile(sample_dir)

    text = run_inspect(sample_dir, capsys)

    lines = text.splitlines()
    assert len(lines) <= 30
    assert max(map(len, lines)) <= 100
    assert any(line.split()[:2] == ["song_extra_info.csv", "30,000"] for line in lines)
    assert f"{expected['train_songs_found']:.1%}" in text
    assert f"{expected['user_unseen']:.1%} of test rows have a user unseen in train" in text
    assert f"train target rate: {expected['target_rate']:.3f}" in text


def test_absent_files_are_shown_as_absent(
    make_folder: MakeFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make_folder(test=None, song_extra_info=None)

    text = run_inspect(folder, capsys)
    profile = json.loads(run_inspect(folder, capsys, "--json"))

    assert any(line.split() == ["test.csv", "absent"] for line in text.splitlines())
    assert "cold start" not in text
    assert profile["files"]["test.csv"] is None
    assert profile["join_coverage"]["test"] is None
    assert profile["join_coverage"]["train"]["song_extra_info.csv"] is None
    assert profile["users"] == {"train": 2, "test": None, "all": 2}


def test_every_share_in_the_json_profile_has_the_same_six_decimals(
    sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every file's shares alike (some came out rounded and some with 17 digits)."""
    assert main(["inspect", "--data", str(sample_dir), "--json"]) == 0
    shares = [
        float(value)
        for value in re.findall(r"\d+\.\d+", capsys.readouterr().out)
    ]
    assert shares and all(round(share, 6) == share for share in shares)
