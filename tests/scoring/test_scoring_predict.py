import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from encore.artifacts import load_version
from encore.cli import main
from encore.errors import EncoreError
from encore.ingest import consolidate, load_dataset
from encore.scoring import predict_file
from encore.training import predict_proba


@pytest.fixture(scope="module")
def artifacts(trained, tmp_path_factory):
    folder = tmp_path_factory.mktemp("artifacts")
    trained.write(folder)
    return folder


def _predict(*extra: str) -> int:
    return main(["predict", "--model", "latest", *extra])


def test_predict_writes_a_probability_for_every_test_row_in_order(trained, artifacts, tmp_path):
    out = tmp_path / "submission.csv"
    test_csv = trained.data_dir / "test.csv"
    assert _predict("--artifacts", str(artifacts), "--input", str(test_csv), "--out", str(out)) == 0
    submission = pd.read_csv(out)
    assert list(submission.columns) == ["id", "target"]
    dataset = load_dataset(trained.data_dir, required=("test",))
    assert dataset.test is not None
    assert submission["id"].tolist() == dataset.test["id"].tolist()
    assert submission["target"].between(0, 1).all()
    expected = predict_proba(
        trained.result.model, trained.data.processor.transform(consolidate(dataset.test, dataset))
    )
    np.testing.assert_allclose(submission["target"], expected, atol=1e-6)
    assert [p.name for p in tmp_path.iterdir()] == ["submission.csv"]


def test_small_chunks_give_the_same_submission(trained, artifacts, tmp_path):
    loaded = load_version(artifacts / "models" / next((artifacts / "models").iterdir()).name)
    test_csv = trained.data_dir / "test.csv"
    rows = predict_file(loaded, test_csv, tmp_path / "whole.csv")
    assert predict_file(loaded, test_csv, tmp_path / "chunked.csv", chunk_rows=300) == rows
    whole, chunked = pd.read_csv(tmp_path / "whole.csv"), pd.read_csv(tmp_path / "chunked.csv")
    assert whole["id"].tolist() == chunked["id"].tolist()
    # float32 products over blocks of another size may differ in the last bit, which the
    # six printed decimals can show; every path agrees to 1e-6.
    assert np.abs(whole["target"] - chunked["target"]).max() <= 1.5e-6


def test_unseen_users_and_songs_are_scored(trained, artifacts, tmp_path):
    _copy_side_tables(trained.data_dir, tmp_path)
    test = pd.read_csv(trained.data_dir / "test.csv", nrows=3)
    test["msno"] = ["new-user-1", "new-user-2", test["msno"][2]]
    test["song_id"] = ["new-song-1", test["song_id"][1], "new-song-3"]
    test.to_csv(tmp_path / "test.csv", index=False)
    out = tmp_path / "submission.csv"
    args = ["--artifacts", str(artifacts), "--input", str(tmp_path / "test.csv"), "--out", str(out)]
    assert _predict(*args) == 0
    submission = pd.read_csv(out)
    assert len(submission) == 3
    assert submission["target"].between(0, 1).all()


def test_the_artifacts_folder_comes_from_the_environment(trained, artifacts, tmp_path, monkeypatch):
    monkeypatch.setenv("ENCORE_ARTIFACTS_DIR", str(artifacts))
    out = tmp_path / "submission.csv"
    assert _predict("--input", str(trained.data_dir / "test.csv"), "--out", str(out)) == 0
    assert out.is_file()


def test_an_input_without_an_id_column_is_refused_in_one_line(trained, artifacts, tmp_path, capsys):
    _copy_side_tables(trained.data_dir, tmp_path)
    plays = tmp_path / "plays.csv"
    shutil.copy(trained.data_dir / "train.csv", plays)
    out = tmp_path / "submission.csv"
    args = ["--artifacts", str(artifacts), "--input", str(plays), "--out", str(out)]
    assert _predict(*args) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("encore predict: error: plays.csv, line 1, column id: missing")
    assert "\n" not in error
    assert not out.exists()


def test_a_bad_record_leaves_no_submission_behind(trained, artifacts, tmp_path, capsys):
    _copy_side_tables(trained.data_dir, tmp_path)
    lines = (trained.data_dir / "test.csv").read_text().splitlines()
    lines[1200] = "oops," + lines[1200].split(",", 1)[1]
    (tmp_path / "test.csv").write_text("\n".join(lines) + "\n")
    loaded = load_version(next((artifacts / "models").iterdir()))
    with pytest.raises(EncoreError, match="line 1201, column id: 'oops' is not an integer"):
        predict_file(loaded, tmp_path / "test.csv", tmp_path / "submission.csv", chunk_rows=500)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "members.csv",
        "song_extra_info.csv",
        "songs.csv",
        "test.csv",
    ]


def test_an_unknown_model_is_refused_in_one_line(trained, artifacts, tmp_path, capsys):
    args = [
        "predict",
        "--model",
        "no-such-version",
        "--artifacts",
        str(artifacts),
        "--input",
        str(trained.data_dir / "test.csv"),
        "--out",
        str(tmp_path / "out.csv"),
    ]
    assert main(args) == 2
    error = capsys.readouterr().err
    assert error.startswith("encore predict: error: model 'no-such-version' is neither a folder")
    assert error.count("\n") == 1


def _copy_side_tables(source: Path, target: Path) -> None:
    for name in ("songs.csv", "members.csv", "song_extra_info.csv"):
        shutil.copy(source / name, target / name)


def test_an_input_with_no_records_or_no_songs_beside_it_is_refused(trained, artifacts, tmp_path):
    loaded = load_version(next((artifacts / "models").iterdir()))
    header = (trained.data_dir / "test.csv").read_text().splitlines()[0]
    (tmp_path / "test.csv").write_text(header + "\n")
    with pytest.raises(EncoreError, match=r"songs\.csv: not found in"):
        predict_file(loaded, tmp_path / "test.csv", tmp_path / "submission.csv")
    _copy_side_tables(trained.data_dir, tmp_path)
    with pytest.raises(EncoreError, match=r"test\.csv: no records, only a header line"):
        predict_file(loaded, tmp_path / "test.csv", tmp_path / "submission.csv")
    assert not (tmp_path / "submission.csv").exists()
