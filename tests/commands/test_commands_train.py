"""encore train and encore sweep, as a user runs them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from encore.artifacts import list_versions
from encore.cli import main
from encore.errors import EncoreError
from encore.model import PRESETS
from encore.pipeline import Hooks, train_version
from tests.conftest import Trained

QUICK = ["--set", "max_epochs=2", "--set", "batch_size=512", "--set", "hidden=32,16"]


def test_train_writes_a_version_and_ends_with_one_json_object(
    trained_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["train", "--data", str(trained_data), "--artifacts", str(tmp_path), "--json", *QUICK]
    )
    captured = capsys.readouterr()
    summary = json.loads(captured.out.strip().splitlines()[-1])
    assert code == 0
    assert Path(summary["path"]).is_dir()
    assert [v.version for v in list_versions(tmp_path)] == [summary["version"]]
    assert 0.5 < summary["metrics"]["auc"] <= 1.0
    assert "epoch 2/2" in captured.err


def test_train_with_a_random_split_and_the_seed_preset_records_both(
    trained_data: Path, tmp_path: Path
) -> None:
    args = ["train", "--data", str(trained_data), "--artifacts", str(tmp_path), "--preset", "seed"]
    assert main([*args, "--split", "random", "--set", "max_epochs=1"]) == 0
    (version,) = list_versions(tmp_path)
    config = json.loads((version.path / "config.json").read_text())
    assert config["split"] == "random"
    assert config["batch_size"] == PRESETS["seed"].batch_size


@pytest.mark.parametrize(
    ("setting", "complaint"),
    [("learning_rat=0.1", "unknown key 'learning_rat'"), ("nokey", "expects KEY=VALUE")],
)
def test_a_bad_setting_is_one_line_and_trains_nothing(
    trained_data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    setting: str,
    complaint: str,
) -> None:
    code = main(
        ["train", "--data", str(trained_data), "--artifacts", str(tmp_path), "--set", setting]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and complaint in err
    assert not (tmp_path / "models").exists()


def test_a_run_stopped_mid_epoch_leaves_no_version(trained_data: Path, tmp_path: Path) -> None:
    batches = iter(range(3))
    hooks = Hooks(should_stop=lambda: next(batches, None) is None)
    with pytest.raises(EncoreError, match="cancel"):
        train_version(trained_data, tmp_path, PRESETS["default"], hooks)
    assert list_versions(tmp_path) == []
    models = tmp_path / "models"
    assert not models.exists() or not any(models.iterdir())


def test_sweep_draws_one_curve_per_learning_rate_and_prints_a_table(
    trained_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sweep"
    code = main(
        ["sweep", "--data", str(trained_data), "--lrs", "1e-2,1e-3", "--out", str(out), *QUICK]
    )
    printed = capsys.readouterr().out
    runs = json.loads((out / "sweep.json").read_text())
    assert code == 0
    assert list(runs) == ["0.01", "0.001"] and all(len(h) == 2 for h in runs.values())
    assert (out / "sweep.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "learning rate" in printed and "0.001" in printed
    _assert_columns_apart(printed)


def test_sweep_refuses_learning_rates_that_are_not_numbers(
    trained_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["sweep", "--data", str(trained_data), "--lrs", "fast,slow"])
    assert stop.value.code == 2
    assert "expected numbers" in capsys.readouterr().err


def _assert_columns_apart(printed: str) -> None:
    """Headings ran together ("learning rate epochs best epoch valid loss"): two spaces
    apart now, each value ending where its heading ends."""
    header, *rows = printed.splitlines()[:3]
    headings = [cell.strip() for cell in header.split("  ") if cell.strip()]
    assert headings == ["learning rate", "epochs", "kept epoch", "valid loss", "AUC", "accuracy"]
    ends = [header.index(h) + len(h) for h in headings]
    for row in rows:
        assert [match.end() for match in re.finditer(r"\S+", row)] == ends


def test_a_missing_input_file_is_named_with_its_folder(
    trained: Trained, tmp_path: Path, capsys
) -> None:
    version = trained.write(tmp_path / "artifacts")
    code = main(
        [
            "predict",
            "--model",
            str(version),
            "--input",
            "missing/test.csv",
            "--out",
            str(tmp_path / "o.csv"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert f"{Path.cwd() / 'missing' / 'test.csv'}: no such file" in err
