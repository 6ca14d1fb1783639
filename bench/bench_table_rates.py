"""The selection run with the embedding tables at another rate than the layers.

Usage: taskset -c 0 .venv/bin/python -m bench.bench_table_rates --data /tmp/dg_full
       [--times 5] [--for-epochs 3] [--average-warmup 10] [--epochs 12] [--set key=value ...]

The tables learn at ``--times`` the layers' rate for the first ``--for-epochs`` epochs (0:
throughout), then at the layers' rate; without ``--times`` the defaults apply
(``ModelConfig.table_boost``). ``--average-warmup`` replaces the weight average's warm-up
constant. Prints bench_training.py's JSON object (its per-epoch lines on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from bench.bench_training import run
from encore.model import PRESETS, ModelConfig
from encore.training import averaging


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with the KKBOX CSVs")
    parser.add_argument("--times", type=float, help="the tables' rate over the layers'")
    parser.add_argument("--for-epochs", type=int, default=0, help="0: every epoch")
    parser.add_argument("--average-warmup", type=float)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    if args.times is not None:
        _boost_tables(args.times, args.for_epochs)
    if args.average_warmup is not None:
        averaging._WARMUP = args.average_warmup
    config = PRESETS["default"].with_overrides(dict(p.split("=", 1) for p in args.set))
    json.dump(run(args.data, replace(config, max_epochs=args.epochs)), sys.stdout)
    print()
    return 0


def _boost_tables(times: float, epochs: int) -> None:
    def table_boost(self: ModelConfig, train_rows: int, epoch: int) -> float:
        return times if epochs == 0 or epoch <= epochs else 1.0

    ModelConfig.table_boost = table_boost  # type: ignore[method-assign]


if __name__ == "__main__":
    raise SystemExit(main())
