"""Speed and quality of training: ingest, split, fit the features, train the network.

Usage: nice .venv/bin/python bench/bench_training.py --data /tmp/encore-small [--preset seed]
       [--epochs N] [--set key=value ...]
Prints one JSON object: per stage its seconds, per epoch the throughput and validation scores,
peak RSS, total seconds, and for generated data (oracle.json beside the CSVs) the oracle's AUC
and log loss on the same validation rows (from train_oracle.csv).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from encore import pipeline, split
from encore.datagen.files import ORACLE_FILE, TRAIN_ORACLE_FILE
from encore.features import FeatureMatrix
from encore.metrics import score
from encore.model import PRESETS, ModelConfig
from encore.training import EpochMetrics, fit


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def oracle_figures(data_dir: Path, valid_rows: np.ndarray) -> dict[str, Any] | None:
    if not (data_dir / ORACLE_FILE).is_file():
        return None
    report = json.loads((data_dir / ORACLE_FILE).read_text(encoding="utf-8"))
    figures: dict[str, Any] = {"train_auc": report["train"]["auc"]}
    if (data_dir / TRAIN_ORACLE_FILE).is_file():
        oracle = pd.read_csv(data_dir / TRAIN_ORACLE_FILE).set_index("row").loc[valid_rows]
        scores = score(oracle["target"], oracle["probability"])
        figures |= {"valid_auc": scores.auc, "valid_log_loss": scores.log_loss}
    return figures


def epoch_line(metrics: EpochMetrics) -> None:
    print(json.dumps({k: round(v, 5) for k, v in metrics.as_dict().items()}), file=sys.stderr)


@dataclass
class Prepared:
    """Feature matrices of both sides of the split, as training sees them."""

    cardinalities: list[int]
    train: FeatureMatrix
    train_target: np.ndarray
    valid: FeatureMatrix
    valid_target: np.ndarray
    valid_rows: np.ndarray  # positions in train.csv


def prepare(data_dir: Path, config: ModelConfig) -> Prepared:
    """What encore.pipeline.prepare makes of the folder, and where its validation rows are."""
    data = pipeline.prepare(data_dir, config)
    rows = data.rows["train"] + data.rows["valid"]
    if config.split == "random":
        _, valid_rows = split.random(rows, config.valid_fraction, config.seed)
    else:
        _, valid_rows = split.chronological(rows, config.valid_fraction)
    return Prepared(
        cardinalities=data.processor.cardinalities,
        train=data.train,
        train_target=data.train_target,
        valid=data.valid,
        valid_target=data.valid_target,
        valid_rows=valid_rows,
    )


def run(data_dir: Path, config: ModelConfig) -> dict[str, Any]:
    started = time.perf_counter()
    data = prepare(data_dir, config)
    gc.collect()  # the frames are gone: measure training beside the matrices only
    prepared = time.perf_counter()
    result = fit(
        config,
        data.cardinalities,
        data.train,
        data.train_target,
        data.valid,
        data.valid_target,
        on_epoch=epoch_line,
    )
    return {
        "data": str(data_dir),
        "config": config.to_dict(),
        "rows": {"train": len(data.train), "valid": len(data.valid)},
        "batch_rows": config.batch_rows(len(data.train)),
        "seconds": {
            "ingest_features": round(prepared - started, 1),
            "fit": round(time.perf_counter() - prepared, 1),
        },
        "total_seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mb": round(peak_rss_mb()),
        "rows_per_second": [round(m.rows_per_second) for m in result.history],
        "valid_auc": [round(m.auc, 4) for m in result.history],
        "best_epoch": result.best_epoch,
        "best": result.best.as_dict(),
        "oracle": oracle_figures(data_dir, data.valid_rows),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with the KKBOX CSVs")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="default")
    parser.add_argument("--epochs", type=int, help="at most this many epochs")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    config = PRESETS[args.preset].with_overrides(dict(p.split("=", 1) for p in args.set))
    if args.epochs:
        config = replace(config, max_epochs=args.epochs)
    json.dump(run(args.data, config), sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
