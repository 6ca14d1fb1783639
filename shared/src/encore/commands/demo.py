"""`encore demo`: the whole pipeline on a tiny generated data set, with no services needed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from encore.artifacts import load_version
from encore.datagen.generate import LABELS_FILE, generate
from encore.datagen.sizes import SCALES
from encore.metrics import Scores, score
from encore.model import PRESETS
from encore.pipeline import Hooks, train_version
from encore.progress import ConsoleProgress
from encore.scoring import predict_file

SCALE = "tiny"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="generate a tiny data set, train the network, score the test rows",
        description=(
            "Run Encore end to end on embedded defaults: generate a tiny KKBOX-format data set, "
            "train the network on a chronological split and store it as a model version, then "
            "score test.csv and set the result beside the generator's oracle."
        ),
    )
    parser.add_argument(
        "--workdir", type=Path, default=Path(".demo"), help="where data and results go (.demo)"
    )
    parser.add_argument("--seed", type=int, default=7, help="generator seed (7)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    data_dir: Path = args.workdir / "data"
    _say(f"1/3 generating a {SCALE} KKBOX-format data set in {data_dir}")
    generate(data_dir, SCALES[SCALE], args.seed, SCALE)
    _say("2/3 training the network on the first 80% of train.csv, validating on the rest")
    progress = ConsoleProgress(PRESETS["default"].max_epochs, stream=sys.stdout)
    hooks = Hooks(stage=progress.stage, epoch=progress.epoch)
    version_dir = train_version(data_dir, args.workdir / "artifacts", PRESETS["default"], hooks)
    loaded = load_version(version_dir)
    _say(f"3/3 scoring test.csv with version {loaded.version}")
    submission_path = args.workdir / "submission.csv"
    predict_file(loaded, data_dir / "test.csv", submission_path)
    test_scores, oracle_scores = _against_oracle(pd.read_csv(submission_path), data_dir)
    _report(loaded.manifest["final_metrics"], test_scores, oracle_scores)
    _say(f"model version in {version_dir}\nsubmission written to {submission_path}")
    return 0


def _against_oracle(submission: pd.DataFrame, data_dir: Path) -> tuple[Scores, Scores]:
    labels = pd.read_csv(data_dir / LABELS_FILE)
    joined = labels.merge(submission, on="id", suffixes=("", "_model"))
    model_scores = score(joined["target"], joined["target_model"])
    return model_scores, score(joined["target"], joined["probability"])


def _report(valid: dict[str, float], test: Scores, oracle: Scores) -> None:
    rows = [
        (f"validation, best epoch {valid['epoch']:.0f}", valid),
        (f"test.csv, network ({test.rows:,} rows)", test.as_dict()),
        ("test.csv, oracle (best possible)", oracle.as_dict()),
    ]
    print(f"\n{'':40} {'AUC':>6} {'logloss':>8} {'accuracy':>9} {'precision':>10} {'recall':>7}")
    for label, s in rows:
        loss = s.get("log_loss", s.get("valid_loss", float("nan")))
        print(
            f"{label:40} {s['auc']:6.3f} {loss:8.3f} {s['accuracy']:9.3f}"
            f" {s['precision']:10.3f} {s['recall']:7.3f}"
        )
    print()


def _say(message: str) -> None:
    print(message, flush=True)
