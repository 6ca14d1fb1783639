"""Recommendations on later rows of the real sample, against the most played songs.

Usage: .venv/bin/python -m bench.bench_recommend_later [--sample DIR] [--seed 0]
       [--weights 0,0.5,1,1.5,2] [--per-artist N]

The issue's protocol: a version trained as `encore train` trains it on the sample's first
10,000 plays, its recommendations scored with the plays after them (`encore recommend-eval`'s
measure: for listeners with training plays, the songs they replayed later are the relevant
set). The model weight is chosen on an inner split first, the same way one split earlier:
trained on the first 7,500 plays, scored with plays 7,501 to 10,000. Prints one JSON object
with both.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from encore.artifacts import load_version
from encore.model import PRESETS
from encore.pipeline import train_version
from encore.scoring.recommend_eval import evaluate_recommendations

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "kkbox-sample"
SIDE_FILES = ("songs.csv", "members.csv", "song_extra_info.csv")
SPLITS = {"inner (choosing): 7,500 then 2,500": (7_500, 10_000),
          "protocol: 10,000 then 5,000": (10_000, 15_000)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--weights", default="0,0.5,1,1.5,2")
    parser.add_argument("--per-artist", type=int)
    args = parser.parse_args()
    weights = [float(weight) for weight in args.weights.split(",")]
    work = Path(tempfile.mkdtemp(prefix="bench-recommend-later-"))
    plays = pd.read_csv(args.sample / "train.csv", dtype=str, keep_default_na=False)
    config = PRESETS["default"].with_overrides({"seed": args.seed})
    results: dict[str, Any] = {"config": config.to_dict()}
    for name, (train_rows, end) in SPLITS.items():
        early = _folder(work / f"early-{train_rows}", plays.head(train_rows), args.sample)
        later = _folder(work / f"later-{train_rows}", plays.iloc[train_rows:end], args.sample)
        loaded = load_version(train_version(early, work / "artifacts", config))
        results[name] = evaluate_recommendations(loaded, later, weights,
                                                 per_artist=args.per_artist)  # fmt: skip
    print(json.dumps(results, indent=2))


def _folder(folder: Path, plays: pd.DataFrame, sample: Path) -> Path:
    """The plays as train.csv beside links to the sample's songs and members."""
    folder.mkdir()
    plays.to_csv(folder / "train.csv", index=False)
    for side in SIDE_FILES:
        (folder / side).symlink_to(sample / side)
    return folder


if __name__ == "__main__":
    main()
