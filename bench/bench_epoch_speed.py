"""Training rows/s per epoch of this code beside a baseline checkout, in turn, same data.

Usage: .venv/bin/python bench/bench_epoch_speed.py --data DIR --baseline /work/pre
       [--rounds 1] [--epochs 2] [--set key=value ...]
Each round runs bench/bench_training.py in a fresh process for the baseline (its
shared/src first on PYTHONPATH) and then for this code. Prints one JSON object: per side
the rows/s and validation AUC of every epoch, their median rows/s, the ratio of the medians
and the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).with_name("bench_training.py")


def main() -> None:
    args = _arguments()
    load_before = os.getloadavg()
    sides: dict[str, dict[str, list[Any]]] = {
        side: {"rows_per_second": [], "valid_auc": []} for side in ("baseline", "this")
    }
    for _ in range(args.rounds):
        for side, source in (("baseline", args.baseline / "shared" / "src"), ("this", None)):
            figures = _run(args, source)
            for key, values in sides[side].items():
                values.extend(figures[key])
    medians = {side: statistics.median(f["rows_per_second"]) for side, f in sides.items()}
    summary = {
        side: {**figures, "median_rows_per_second": round(medians[side])}
        for side, figures in sides.items()
    }
    print(json.dumps({
        **summary,
        "speed_up": round(medians["this"] / medians["baseline"], 2),
        "load_average": {"before": _rounded(load_before), "after": _rounded(os.getloadavg())},
    }, indent=2))  # fmt: skip


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--baseline", type=Path, required=True, help="a checkout to compare")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    return parser.parse_args()


def _run(args: argparse.Namespace, source: Path | None) -> dict[str, Any]:
    settings = ["refit=false", *args.set]
    command = [sys.executable, str(BENCH), "--data", str(args.data), "--epochs",
               str(args.epochs), *(f"--set={pair}" for pair in settings)]  # fmt: skip
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH")]))
    out = subprocess.run(command, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
    figures: dict[str, Any] = json.loads(out)
    return figures


def _rounded(load: tuple[float, float, float]) -> list[float]:
    return [round(x, 2) for x in load]


if __name__ == "__main__":
    main()
