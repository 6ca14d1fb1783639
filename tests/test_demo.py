import pandas as pd

from encore.cli import main


def test_demo_trains_a_version_and_scores_the_test_rows_against_the_oracle(tmp_path, capsys):
    assert main(["demo", "--workdir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    submission = pd.read_csv(tmp_path / "submission.csv")
    labels = pd.read_csv(tmp_path / "data" / "test_labels.csv")
    assert list(submission.columns) == ["id", "target"]
    assert sorted(submission["id"]) == sorted(labels["id"])
    assert submission["target"].between(0, 1).all()
    table = {line[:40].strip(): line[40:].split() for line in out.splitlines() if "  " in line}
    network_auc = float(table[next(k for k in table if k.startswith("test.csv, network"))][0])
    oracle_auc = float(table["test.csv, oracle (best possible)"][0])
    assert 0.6 < network_auc <= oracle_auc + 0.02
    assert len(list((tmp_path / "artifacts" / "models").iterdir())) == 1
