import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from encore.cli import main
from encore.ingest import consolidate, load_dataset
from encore.metrics import score
from encore.pipeline import train_version
from encore.training import predict_proba
from tests.conftest import FAST


@pytest.fixture(scope="module")
def version(trained, tmp_path_factory):
    return trained.write(tmp_path_factory.mktemp("artifacts"))


def _evaluate(version: Path, data_dir: Path, *extra: str) -> int:
    return main(["evaluate", "--model", str(version), "--data", str(data_dir), *extra])


def test_evaluate_scores_train_and_test_beside_the_oracle(trained, version, capsys):
    assert _evaluate(version, trained.data_dir, "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["version"] == version.name
    train, test = result["sections"]
    assert (train["file"], test["file"]) == ("train.csv", "test.csv")
    assert train["model"]["rows"] == 5_000
    assert "trained on 80% of these rows" in train["note"]
    dataset = load_dataset(trained.data_dir, required=("train", "test"))
    plays = consolidate(dataset.train, dataset)
    expected = predict_proba(trained.result.model, trained.data.processor.transform(plays))
    assert train["model"] == pytest.approx(score(plays["target"], expected).as_dict())
    labels = pd.read_csv(trained.data_dir / "test_labels.csv")
    assert test["oracle"] == pytest.approx(score(labels["target"], labels["probability"]).as_dict())
    assert test["model"]["rows"] == len(labels)
    assert 0.6 < test["model"]["auc"] < test["oracle"]["auc"]


def test_the_text_report_is_a_table_with_the_oracle_rows(trained, version, capsys):
    assert _evaluate(version, trained.data_dir) == 0
    out = capsys.readouterr().out
    assert "AUC   log loss   accuracy  precision     recall" in out
    assert [line.split()[0] for line in out.splitlines() if line.endswith(",733")] == [
        "test.csv",
        "oracle",
    ]
    assert "oracle: the generator's planted model" in out


def test_labelled_rows_without_generator_files_are_scored_alone(trained, version, tmp_path, capsys):
    for name in ("train.csv", "songs.csv", "members.csv"):
        shutil.copy(trained.data_dir / name, tmp_path / name)
    assert _evaluate(version, tmp_path, "--json") == 0
    (section,) = json.loads(capsys.readouterr().out)["sections"]
    assert section["oracle"] is None
    assert section["model"]["rows"] == 5_000


def test_a_folder_without_labelled_rows_is_refused_in_one_line(version, tmp_path, capsys):
    assert _evaluate(version, tmp_path) == 2
    error = capsys.readouterr().err
    assert error.startswith("encore evaluate: error: train.csv: not found in")
    assert error.count("\n") == 1


def test_a_refitted_version_is_said_to_have_learnt_every_training_row(trained, tmp_path, capsys):
    refitted = train_version(trained.data_dir, tmp_path, FAST)
    assert _evaluate(refitted, trained.data_dir, "--json") == 0
    train = json.loads(capsys.readouterr().out)["sections"][0]
    assert "trained on 100% of these rows" in train["note"]
