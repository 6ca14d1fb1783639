"""Baselines on the network's own features and split: LightGBM and logistic regression.

Usage: .venv/bin/python bench/bench_baselines.py --data /tmp/small [--split chronological|random]
Prints one JSON object: each baseline's validation AUC, log loss and seconds, and for generated
data the oracle's AUC on the same validation rows (from train_oracle.csv). Compare with the
network's figures from bench/bench_training.py on the same data.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd

from encore.baseline import LogisticBaseline
from encore.datagen.files import TRAIN_ORACLE_FILE
from encore.features import FeatureMatrix
from encore.metrics import score
from encore.model import PRESETS
from encore.pipeline import PreparedData, prepare

LIGHTGBM_PARAMS = {
    "objective": "binary",
    "learning_rate": 0.1,
    "num_leaves": 255,
    "min_data_in_leaf": 100,
    "max_bin": 255,
    "verbose": -1,
    "seed": 0,
    "num_threads": 2,
}


def lightgbm_frame(matrix: FeatureMatrix, data: PreparedData) -> pd.DataFrame:
    frame = pd.DataFrame(matrix.numeric, columns=data.processor.numeric_names)
    for index, name in enumerate(data.processor.categorical_names):
        frame[name] = pd.Categorical(matrix.categorical[:, index])
    return frame


def run_lightgbm(data: PreparedData) -> np.ndarray:
    train = lgb.Dataset(lightgbm_frame(data.train, data), data.train_target)
    valid = lgb.Dataset(lightgbm_frame(data.valid, data), data.valid_target, reference=train)
    booster = lgb.train(
        LIGHTGBM_PARAMS,
        train,
        num_boost_round=1000,
        valid_sets=[valid],
        callbacks=[lgb.early_stopping(20, verbose=False)],
    )
    return np.asarray(booster.predict(lightgbm_frame(data.valid, data)))


def run_logistic(data: PreparedData) -> np.ndarray:
    model = LogisticBaseline(data.processor.cardinalities).fit(data.train, data.train_target)
    return model.predict_proba(data.valid)


def timed(name: str, work: Any, data: PreparedData) -> dict[str, Any]:
    started = time.perf_counter()
    probability = work(data)
    scores = score(data.valid_target, probability)
    return {"model": name, "auc": scores.auc, "log_loss": scores.log_loss,
            "seconds": round(time.perf_counter() - started, 1)}  # fmt: skip


def oracle_auc(data_dir: Path, valid_rows: int) -> float | None:
    path = data_dir / TRAIN_ORACLE_FILE
    if not path.exists():
        return None
    oracle = pd.read_csv(path).tail(valid_rows)
    return score(oracle["target"], oracle["probability"]).auc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--split", choices=["chronological", "random"], default="chronological")
    args = parser.parse_args()
    config = replace(PRESETS["default"], split=args.split)
    data = prepare(args.data, config)
    result: dict[str, Any] = {
        "data": str(args.data),
        "split": args.split,
        "rows": data.rows,
        "baselines": [timed("lightgbm", run_lightgbm, data), timed("logistic", run_logistic, data)],
    }
    if args.split == "chronological":
        result["oracle_auc_same_rows"] = oracle_auc(args.data, len(data.valid_target))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
