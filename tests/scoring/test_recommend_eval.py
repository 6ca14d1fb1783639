"""`encore recommend-eval`: recommendations and the most played songs on the same listeners."""

import json
from pathlib import Path

import pandas as pd
import pytest

from encore.cli import main
from encore.scoring.recommend import MODEL_WEIGHT


@pytest.fixture(scope="module")
def version(trained, tmp_path_factory):
    return trained.write(tmp_path_factory.mktemp("artifacts"))


def _popularity_hit_rate_at_10(data_dir: Path) -> tuple[int, float]:
    """Computed here from the files: per listener with training plays who replays songs in
    test.csv, whether any of the 10 most played songs they had not played is one of them."""
    train = pd.read_csv(data_dir / "train.csv", usecols=["msno", "song_id"], dtype=str)
    test = pd.read_csv(data_dir / "test.csv", dtype=str).merge(
        pd.read_csv(data_dir / "test_labels.csv", dtype=str), on="id"
    )
    counts = train["song_id"].value_counts().rename_axis("song_id").reset_index()
    ranked = counts.sort_values(["count", "song_id"], ascending=[False, True])["song_id"].tolist()
    heard = train.groupby("msno")["song_id"].apply(set)
    replayed = test[(test["target"] == "1") & test["msno"].isin(heard.index)]
    hits = [
        bool(set(songs) & set([s for s in ranked if s not in heard[msno]][:10]))
        for msno, songs in replayed.groupby("msno")["song_id"]
    ]
    return len(hits), sum(hits) / len(hits)


def test_recommendations_are_measured_beside_popularity(trained, version, capsys):
    args = ["recommend-eval", "--model", str(version), "--data", str(trained.data_dir)]
    assert main([*args, "--weights", "0,1", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    listeners, popular_hits = _popularity_hit_rate_at_10(trained.data_dir)
    assert result["listeners"] == listeners > 20
    methods = result["methods"]
    assert set(methods) == {"candidates, model weight 0", "candidates, model weight 1",
                            "popularity"}  # fmt: skip
    assert methods["popularity"]["hit_rate@10"] == pytest.approx(popular_hits)
    for figures in methods.values():
        assert figures["hit_rate@10"] <= figures["hit_rate@50"] <= figures["hit_rate@100"] <= 1
        assert figures["recall@10"] <= figures["recall@50"] <= figures["recall@100"] <= 1
    assert 0 < result["reachable"]["pool"] <= 1
    assert main(args) == 0
    assert "reachable:" in capsys.readouterr().out


def test_bad_weights_are_one_line(trained, version, capsys):
    args = ["recommend-eval", "--model", str(version), "--data", str(trained.data_dir)]
    assert main([*args, "--weights", "one"]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("msno,song_id\na,b\n", "train.csv: has no column target"),
        ("", "train.csv: cannot be read"),
        ("msno,song_id,target\nsomeone new,b,1\n", "no listener in it has training plays"),
    ],
)
def test_later_plays_that_cannot_be_measured_are_one_line(version, tmp_path, capsys, text,
                                                          message):  # fmt: skip
    (tmp_path / "train.csv").write_text(text)
    args = ["recommend-eval", "--model", str(version), "--data", str(tmp_path)]
    assert main(args) == 2
    error = capsys.readouterr().err.strip()
    assert message in error and "\n" not in error


def test_by_default_the_candidates_alone_are_compared_with_what_recommend_does(
    trained, version, capsys
):
    args = ["recommend-eval", "--model", str(version), "--data", str(trained.data_dir), "--json"]
    assert main(args) == 0
    methods = json.loads(capsys.readouterr().out)["methods"]
    assert set(methods) == {"candidates, model weight 0",
                            f"candidates, model weight {MODEL_WEIGHT:g}", "popularity"}  # fmt: skip
