"""The refit: after the selection run, the stored version is trained on every row."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from encore.artifacts import list_versions, load_version, read_manifest
from encore.artifacts.location import PARTIAL_PREFIX, models_dir
from encore.model.config import AUTO_RATE, LONG_EPOCH_DECAY
from encore.pipeline import REFIT, Hooks, train_version
from encore.training import TrainingCancelled
from tests.conftest import FAST


def _validation_only_listener(data: Path) -> str:
    """A listener whose plays are all in the latest 20% of train.csv (the validation rows)."""
    plays = pd.read_csv(data / "train.csv", usecols=["msno"], dtype=str)["msno"]
    cut = len(plays) - round(len(plays) * FAST.valid_fraction)
    late_only = set(plays.iloc[cut:]) - set(plays.iloc[:cut])
    assert late_only, "the tiny set has listeners who play only in the latest rows"
    return str(sorted(late_only)[0])


def test_a_refit_version_learnt_every_row_and_keeps_the_selection_figures(
    trained_data: Path, tmp_path: Path
) -> None:
    folder = train_version(trained_data, tmp_path, FAST)
    manifest = read_manifest(folder)
    rows = manifest["rows"]["train"] + manifest["rows"]["valid"]
    assert manifest["refit"]["rows"] == rows
    assert manifest["refit"]["epochs"] == manifest["best_epoch"]
    assert len(manifest["refit"]["learning_rates"]) == manifest["best_epoch"]
    history = pd.read_json(folder / "metrics.json")
    selection = history.iloc[manifest["best_epoch"] - 1]
    assert manifest["final_metrics"]["auc"] == pytest.approx(selection["auc"])
    listener = _validation_only_listener(trained_data)
    assert listener in load_version(folder).processor.vocabularies["msno"].tokens


def test_without_the_refit_the_version_is_the_selection_run(
    trained_data: Path, tmp_path: Path
) -> None:
    folder = train_version(trained_data, tmp_path, replace(FAST, refit=False))
    manifest = read_manifest(folder)
    assert "refit" not in manifest
    listener = _validation_only_listener(trained_data)
    assert listener not in load_version(folder).processor.vocabularies["msno"].tokens


def test_the_cold_start_breakdown_adds_up_to_the_validation_rows(
    trained_data: Path, tmp_path: Path
) -> None:
    folder = train_version(trained_data, tmp_path, replace(FAST, refit=False))
    manifest = read_manifest(folder)
    groups, rows = manifest["final_metrics"]["cold_start"], manifest["rows"]["valid"]
    assert groups["user_seen"]["rows"] + groups["user_unseen"]["rows"] == rows
    assert groups["song_seen"]["rows"] + groups["song_unseen"]["rows"] == rows
    assert groups["both_unseen"]["rows"] <= groups["user_unseen"]["rows"]
    assert groups["user_unseen"]["rows"] > 0 and groups["song_unseen"]["rows"] > 0


def test_a_run_stopped_during_the_refit_leaves_no_version(
    trained_data: Path, tmp_path: Path
) -> None:
    stages: list[str] = []
    hooks = Hooks(stage=stages.append, should_stop=lambda: REFIT in stages)
    with pytest.raises(TrainingCancelled):
        train_version(trained_data, tmp_path, FAST, hooks)
    assert REFIT in stages and "registering" not in stages
    assert list_versions(tmp_path) == []
    leftovers = [p for p in models_dir(tmp_path).glob("*")] if models_dir(tmp_path).exists() else []
    assert [p for p in leftovers if not p.name.startswith(PARTIAL_PREFIX)] == []


def test_a_fresh_refit_gives_the_tables_the_rates_the_selection_run_gave_them(
    trained_data: Path, tmp_path: Path
) -> None:
    # 16-row batches make the epochs long: the tables start at AUTO_RATE, the layers lower.
    config = replace(FAST, batch_size=16, refit_from="fresh")
    manifest = read_manifest(train_version(trained_data, tmp_path, config))
    assert manifest["starting_learning_rate"] < AUTO_RATE * 0.7
    assert manifest["starting_table_learning_rate"] == pytest.approx(AUTO_RATE)
    assert manifest["applied_weight_decay"] == pytest.approx(config.weight_decay * LONG_EPOCH_DECAY)
    refit = manifest["refit"]
    fast = config.fast_table_epochs
    expected = [AUTO_RATE if epoch <= fast else rate
                for epoch, rate in enumerate(refit["learning_rates"], 1)]  # fmt: skip
    assert refit["table_learning_rates"] == pytest.approx(expected)
