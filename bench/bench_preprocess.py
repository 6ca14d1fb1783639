"""Time and peak memory of full preprocessing: ingest, fit on train, transform train and test.

Usage: nice .venv/bin/python bench/bench_preprocess.py --data /tmp/encore-full
Prints one JSON object: per stage its seconds and the process's peak RSS after it, the total,
rows per second, the saved processor's size and the latency of one-row transforms (the API).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from encore.features import FeatureProcessor
from encore.ingest import consolidate, load_dataset

T = TypeVar("T")
SINGLE_ROW_CALLS = 200


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def timed(stages: dict[str, dict[str, float]], name: str, work: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = work()
    stages[name] = {
        "seconds": round(time.perf_counter() - start, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    return result


def single_row_ms(processor: FeatureProcessor, frame: Any) -> dict[str, float]:
    rows = np.random.default_rng(0).integers(0, len(frame), SINGLE_ROW_CALLS)
    latencies = []
    for row in rows:
        one = frame.iloc[[row]].reset_index(drop=True)
        start = time.perf_counter()
        processor.transform(one)
        latencies.append((time.perf_counter() - start) * 1000)
    return {
        "median": round(float(np.median(latencies)), 2),
        "p95": round(float(np.percentile(latencies, 95)), 2),
    }


def run(data_dir: Path) -> dict[str, Any]:
    stages: dict[str, dict[str, float]] = {}
    dataset = timed(stages, "ingest", lambda: load_dataset(data_dir))
    if dataset.test is None:
        raise SystemExit(f"{data_dir} has no test.csv")
    train = timed(stages, "consolidate_train", lambda: consolidate(dataset.train, dataset))
    test = timed(stages, "consolidate_test", lambda: consolidate(dataset.test, dataset))
    processor = FeatureProcessor()
    # Both matrices stay alive, as they would for training and scoring.
    train_matrix = timed(stages, "fit_transform_train", lambda: processor.fit_transform(train))
    test_matrix = timed(stages, "transform_test", lambda: processor.transform(test))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "features.json"
        timed(stages, "save_json", lambda: processor.save(path))
        size_mb = path.stat().st_size / 2**20
        loaded = timed(stages, "load_json", lambda: FeatureProcessor.load(path))
    total = sum(stage["seconds"] for stage in stages.values())
    return {
        "data": str(data_dir),
        "rows": {"train": len(train_matrix), "test": len(test_matrix)},
        "stages": stages,
        "total_seconds": round(total, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rows_per_second": round((len(train) + len(test)) / total),
        "processor_json_mb": round(size_mb, 1),
        "numeric_features": len(processor.numeric_names),
        "cardinalities": dict(
            zip(processor.categorical_names, processor.cardinalities, strict=True)
        ),
        "single_row_transform_ms": single_row_ms(loaded, test),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with the KKBOX CSVs")
    args = parser.parse_args()
    json.dump(run(args.data), sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
