"""Latency of FeatureProcessor.transform_records (few rows as dicts) against transform.

Usage: nice .venv/bin/python bench/bench_fast_rows.py [--data DIR] [--calls N]
Without --data a tiny data set is generated in a temporary folder. The processor is fitted on
the chronological training split (as encore.pipeline.prepare does); calls draw random rows of
the validation split. Prints one JSON object with median and p99 milliseconds per call of:
transform_records for 1 and 20 rows, the same with the per-value caches cleared before every
call (a song and member never seen before), and transform on a one-row and a 20-row frame.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from encore import split
from encore.datagen.generate import generate
from encore.features import FeatureProcessor
from encore.features.rowcodes import clear_caches
from encore.ingest import TRAINING_TABLES, consolidate, load_dataset
from encore.schema import TEST


def latency_ms(
    calls: int, setup: Callable[[int], Any], work: Callable[[Any], object]
) -> dict[str, float]:
    """Median and p99 of ``work(setup(i))``; only ``work`` is timed."""
    times = []
    for i in range(calls):
        argument = setup(i)
        start = time.perf_counter()
        work(argument)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "median": round(float(np.median(times)), 4),
        "p99": round(float(np.percentile(times, 99)), 4),
    }


def run(data_dir: Path, calls: int) -> dict[str, Any]:
    dataset = load_dataset(data_dir, required=TRAINING_TABLES, skip=(TEST,))
    train, valid = split.chronological(consolidate(dataset.train, dataset), 0.2)
    processor = FeatureProcessor().fit(train)
    records = valid.to_dict("records")
    starts = np.random.default_rng(0).integers(0, len(valid) - 20, calls)

    def some(rows: int) -> Callable[[int], list[dict[str, Any]]]:
        return lambda i: records[starts[i] : starts[i] + rows]

    def frame(rows: int) -> Callable[[int], pd.DataFrame]:
        return lambda i: valid.iloc[starts[i] : starts[i] + rows].reset_index(drop=True)

    def cold(rows: int) -> Callable[[int], list[dict[str, Any]]]:
        def setup(i: int) -> list[dict[str, Any]]:
            clear_caches()
            return some(rows)(i)

        return setup

    start = time.perf_counter()
    processor.transform_records(records[:1])  # builds the lookup tables
    first_call_ms = (time.perf_counter() - start) * 1000
    fast, slow = processor.transform_records, processor.transform
    return {
        "data": str(data_dir),
        "rows": {"train": len(train), "valid": len(valid)},
        "calls": calls,
        "first_call_ms (builds lookups)": round(first_call_ms, 2),
        "transform_records_1_row_ms": latency_ms(calls, some(1), fast),
        "transform_records_20_rows_ms": latency_ms(calls, some(20), fast),
        "transform_records_1_row_cold_caches_ms": latency_ms(calls, cold(1), fast),
        "transform_records_20_rows_cold_caches_ms": latency_ms(calls, cold(20), fast),
        "transform_1_row_frame_ms": latency_ms(calls, frame(1), slow),
        "transform_20_row_frame_ms": latency_ms(calls, frame(20), slow),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="folder with the KKBOX CSVs (default: tiny)")
    parser.add_argument("--calls", type=int, default=1000, help="timed calls per measurement")
    args = parser.parse_args()
    if args.data is not None:
        result = run(args.data, args.calls)
    else:
        with tempfile.TemporaryDirectory() as folder:
            generate(Path(folder), 5_000, 7, "tiny")
            result = run(Path(folder), args.calls)
            result["data"] = "tiny (generate(folder, 5000, 7, 'tiny'))"
    json.dump(result, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
