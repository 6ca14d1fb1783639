"""Training epochs with idle OpenMP threads spinning (ACTIVE) or sleeping (PASSIVE, Encore's
setting), each in a fresh process, alternating, on the same prepared data.

Usage: .venv/bin/python bench/bench_training_threads.py --data DIR [--rounds 2] [--epochs 2]
       [--set key=value ...]
Prints one JSON object: per policy the seconds of every epoch of every round and their median.
The difference shows when the machine's cores are also wanted by other processes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

POLICIES = ("ACTIVE", "PASSIVE")


def main() -> None:
    args = _arguments()
    if args.child:
        _child(args)
        return
    seconds: dict[str, list[float]] = {policy: [] for policy in POLICIES}
    for _ in range(args.rounds):
        for policy in POLICIES:
            seconds[policy] += _run(policy, args)
    summary: dict[str, object] = {
        policy: {"epoch_seconds": [round(s, 2) for s in values],
                 "median": round(statistics.median(values), 2)}
        for policy, values in seconds.items()
    }  # fmt: skip
    summary["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(summary, indent=2))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def _run(policy: str, args: argparse.Namespace) -> list[float]:
    command = [sys.executable, __file__, "--child", "--data", str(args.data),
               "--epochs", str(args.epochs), *(f"--set={pair}" for pair in args.set)]  # fmt: skip
    env = {**os.environ, "OMP_WAIT_POLICY": policy}
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    seconds: list[float] = json.loads(out)
    return seconds


def _child(args: argparse.Namespace) -> None:
    from encore.model import PRESETS
    from encore.pipeline import fit_prepared, prepare

    pairs = dict(pair.split("=", 1) for pair in args.set)
    config = PRESETS["default"].with_overrides(
        {**pairs, "max_epochs": str(args.epochs), "refit": "false"}
    )
    result = fit_prepared(prepare(args.data, config), config)
    print(json.dumps([epoch.seconds for epoch in result.history]))


if __name__ == "__main__":
    main()
