"""oracle.json and test_labels.csv let a scored test.csv be evaluated against the best score."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from generated_sets import TINY, generated, tables
from sklearn.metrics import roc_auc_score

from encore.datagen.generate import world_and_labels


def test_oracle_report_has_scores_rates_and_counts() -> None:
    report = json.loads((generated(*TINY) / "oracle.json").read_text(encoding="utf-8"))
    assert report["seed"] == 7 and report["scale"] == "tiny"
    assert report["rows"]["train"] == len(tables(*TINY)["train"].rows)
    assert report["rows"]["test"] == len(tables(*TINY)["test"].rows)
    assert report["rows"]["songs"] == len(tables(*TINY)["songs"].rows)
    assert report["rows"]["members"] == len(tables(*TINY)["members"].rows)
    for part in ("train", "test"):
        assert set(report[part]) == {"auc", "log_loss", "positive_rate", "rows"}
        assert 0.3 < report[part]["log_loss"] < 0.69
    assert 0.75 <= report["test"]["auc"] <= 0.85


def test_labels_match_test_rows_and_reproduce_the_oracle_auc() -> None:
    labels = tables(*TINY)["test_labels"]
    assert labels.header == ["id", "target", "probability"]
    assert labels.col("id") == tables(*TINY)["test"].col("id")
    target = [int(v) for v in labels.col("target")]
    probability = [float(v) for v in labels.col("probability")]
    assert all(0 < p < 1 for p in probability)
    report = json.loads((generated(*TINY) / "oracle.json").read_text(encoding="utf-8"))
    # probabilities are written with 6 decimals, so the AUC can move in the last digits
    assert abs(roc_auc_score(target, probability) - report["test"]["auc"]) < 1e-4


def test_train_oracle_gives_every_train_row_its_target_and_probability() -> None:
    folder = generated(*TINY)
    oracle = pd.read_csv(folder / "train_oracle.csv")
    train = pd.read_csv(folder / "train.csv")
    assert oracle["row"].tolist() == list(range(len(train)))
    assert (oracle["target"] == train["target"]).all()
    assert oracle["probability"].between(0, 1).all()
    reported = json.loads((folder / "oracle.json").read_text())["train"]["auc"]
    recomputed = roc_auc_score(oracle["target"], oracle["probability"])
    assert recomputed == pytest.approx(reported, abs=1e-4)


def test_the_world_in_memory_is_the_one_written() -> None:
    """bench_ceiling fits the generator's own plays: they must be train.csv's rows."""
    rows, seed, _ = TINY
    world, labels = world_and_labels(rows, seed)
    oracle = pd.read_csv(generated(*TINY) / "train_oracle.csv")
    assert labels.train_target.tolist() == oracle["target"].tolist()
    assert labels.train_probability.round(6).tolist() == oracle["probability"].round(6).tolist()
    members = [name.decode() for name in world.members.msno[world.train.user]]
    assert members == tables(*TINY)["train"].col("msno")
