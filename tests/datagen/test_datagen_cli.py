"""`encore datagen` on the command line: output folder, determinism and bad arguments."""

from __future__ import annotations

from pathlib import Path

import pytest

from encore.cli import main

OUTPUTS = (
    "train.csv",
    "test.csv",
    "songs.csv",
    "members.csv",
    "song_extra_info.csv",
    "sample_submission.csv",
    "test_labels.csv",
    "oracle.json",
)


def _run(*args: str) -> int:
    code: int = main(["datagen", *args])
    return code


def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    for name, seed in (("a", "3"), ("b", "3"), ("c", "4")):
        assert _run("--out", str(tmp_path / name), "--rows", "2000", "--seed", seed) == 0
    for output in OUTPUTS:
        first = (tmp_path / "a" / output).read_bytes()
        assert first == (tmp_path / "b" / output).read_bytes(), output
        if output != "sample_submission.csv":  # all 0.5 whatever the seed
            assert first != (tmp_path / "c" / output).read_bytes(), output


def test_creates_the_folder_and_overwrites_old_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "new" / "nested"
    out.mkdir(parents=True)
    (out / "train.csv").write_text("stale\n", encoding="utf-8")
    assert _run("--out", str(out), "--rows", "500") == 0
    assert (out / "train.csv").read_text(encoding="utf-8").startswith("msno,song_id,")
    assert all((out / name).is_file() for name in OUTPUTS)
    assert "oracle test AUC" in capsys.readouterr().out


def test_rows_sets_the_train_size_and_scales_test(tmp_path: Path) -> None:
    assert _run("--out", str(tmp_path), "--rows", "3000") == 0
    train = (tmp_path / "train.csv").read_text(encoding="utf-8").splitlines()
    test = (tmp_path / "test.csv").read_text(encoding="utf-8").splitlines()
    assert len(train) == 3001
    assert len(test) - 1 == round(3000 * 2_556_790 / 7_377_418)


@pytest.mark.parametrize("rows", ["99", "20000001"])
def test_rejects_row_counts_out_of_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rows: str
) -> None:
    assert _run("--out", str(tmp_path), "--rows", rows) == 2
    error = capsys.readouterr().err
    assert error.startswith("encore datagen: error: --rows must be between 100 and 20,000,000")
    assert error.count("\n") == 1


def test_rejects_an_out_path_that_is_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "taken"
    target.write_text("", encoding="utf-8")
    assert _run("--out", str(target)) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert _run("--out", str(target / "below")) == 2
    assert "cannot create --out folder" in capsys.readouterr().err


def test_rejects_an_unknown_scale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _run("--out", str(tmp_path), "--scale", "huge")
    assert exit_info.value.code == 2
    assert "invalid choice: 'huge'" in capsys.readouterr().err
