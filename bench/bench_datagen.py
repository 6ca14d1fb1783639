"""Time and peak memory of `encore datagen` (the generator run in-process).

    nice .venv/bin/python bench/bench_datagen.py [--scale tiny|small|full] [--out DIR]

Without --out the files go to a temporary folder that is removed afterwards.
Prints one JSON object: scale, row counts, seconds, peak RSS, bytes written, oracle AUCs.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from encore.datagen.generate import GenerationSummary, generate
from encore.datagen.sizes import SCALES


def measure(out: Path, scale: str, seed: int) -> dict[str, object]:
    started = time.perf_counter()
    summary: GenerationSummary = generate(out, SCALES[scale], seed, scale)
    seconds = time.perf_counter() - started
    return {
        "scale": scale,
        "rows": {
            "train": summary.sizes.train_rows,
            "test": summary.sizes.test_rows,
            "songs": summary.sizes.catalogue_songs,
            "members": summary.sizes.members,
        },
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "bytes_written": summary.bytes_written,
        "oracle_train_auc": round(summary.train_score.auc, 4),
        "oracle_test_auc": round(summary.test_score.auc, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--out", type=Path, help="keep the files here (default: a temp folder)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.out is not None:
        print(json.dumps(measure(args.out, args.scale, args.seed)))
        return
    with tempfile.TemporaryDirectory(prefix="encore-bench-datagen-") as folder:
        print(json.dumps(measure(Path(folder), args.scale, args.seed)))


if __name__ == "__main__":
    main()
