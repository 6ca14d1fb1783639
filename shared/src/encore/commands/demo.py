"""`encore demo`: the whole pipeline on a tiny generated data set, with no services needed."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from encore.baseline import LogisticBaseline
from encore.datagen.generate import LABELS_FILE, generate
from encore.datagen.sizes import SCALES
from encore.features import FeatureProcessor
from encore.ingest import TRAINING_TABLES, consolidate, load_dataset
from encore.metrics import Scores, score
from encore.split import chronological

SCALE = "tiny"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="generate a tiny data set, train a baseline, score the test rows",
        description=(
            "Run Encore end to end on embedded defaults: generate a tiny KKBOX-format data set, "
            "fit the features on a chronological training split, train a logistic-regression "
            "baseline, and score test.csv against the generator's oracle."
        ),
    )
    parser.add_argument(
        "--workdir", type=Path, default=Path(".demo"), help="where data and results go (.demo)"
    )
    parser.add_argument("--seed", type=int, default=7, help="generator seed (7)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    data_dir: Path = args.workdir / "data"
    _say(f"1/4 generating a {SCALE} KKBOX-format data set in {data_dir}")
    generate(data_dir, SCALES[SCALE], args.seed, SCALE)
    _say("2/4 reading and joining train.csv, songs.csv, members.csv, song_extra_info.csv")
    dataset = load_dataset(data_dir, required=(*TRAINING_TABLES, "test"))
    assert dataset.test is not None  # required above
    train, valid = chronological(consolidate(dataset.train, dataset))
    _say(f"3/4 fitting features on the first {len(train):,} plays, training a baseline")
    processor = FeatureProcessor().fit(train)
    model = LogisticBaseline(processor.cardinalities)
    model.fit(processor.transform(train), train["target"].to_numpy())
    valid_scores = score(valid["target"], model.predict_proba(processor.transform(valid)))
    _say(f"4/4 scoring {len(dataset.test):,} rows of test.csv")
    test = consolidate(dataset.test, dataset)
    submission = pd.DataFrame(
        {"id": test["id"], "target": model.predict_proba(processor.transform(test))}
    )
    submission_path = args.workdir / "submission.csv"
    submission.to_csv(submission_path, index=False)
    test_scores, oracle_scores = _against_oracle(submission, data_dir)
    _report(len(valid), valid_scores, test_scores, oracle_scores)
    _say(f"submission written to {submission_path}")
    return 0


def _against_oracle(submission: pd.DataFrame, data_dir: Path) -> tuple[Scores, Scores]:
    labels = pd.read_csv(data_dir / LABELS_FILE)
    joined = labels.merge(submission, on="id", suffixes=("", "_model"))
    model_scores = score(joined["target"], joined["target_model"])
    return model_scores, score(joined["target"], joined["probability"])


def _report(valid_rows: int, valid: Scores, test: Scores, oracle: Scores) -> None:
    rows = [
        (f"validation ({valid_rows:,} latest plays)", valid),
        (f"test.csv, baseline ({test.rows:,} rows)", test),
        ("test.csv, oracle (best possible)", oracle),
    ]
    print(f"\n{'':40} {'AUC':>6} {'logloss':>8} {'accuracy':>9} {'precision':>10} {'recall':>7}")
    for label, s in rows:
        print(
            f"{label:40} {s.auc:6.3f} {s.log_loss:8.3f} {s.accuracy:9.3f}"
            f" {s.precision:10.3f} {s.recall:7.3f}"
        )
    print()


def _say(message: str) -> None:
    print(message, flush=True)
