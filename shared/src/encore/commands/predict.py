"""`encore predict`: a submission file (id, target probability) from a stored model version."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from encore.artifacts import artifacts_dir, load_version, resolve_model
from encore.scoring import CHUNK_ROWS, predict_file


def add_model_argument(parser: argparse.ArgumentParser) -> None:
    """--model and --artifacts, shared by the commands that use a stored version."""
    parser.add_argument(
        "--model", required=True, metavar="PATH",
        help='a version folder, a version name under <artifacts>/models, or "latest"',
    )
    parser.add_argument(
        "--artifacts", type=Path, metavar="DIR",
        help="artifacts folder (else $ENCORE_ARTIFACTS_DIR, else ./artifacts)",
    )


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "predict",
        help="write a Kaggle submission (id, target) for a test.csv-format file",
        description=(
            "Score every row of a test.csv-format file with a stored model version and write "
            "id,target (the probability of a replay). songs.csv and members.csv (and "
            "song_extra_info.csv if there) are read from the input file's folder. Rows are "
            f"processed {CHUNK_ROWS:,} at a time, so any number of rows fits in memory."
        ),
    )
    add_model_argument(parser)
    parser.add_argument(
        "--input", required=True, type=Path, metavar="FILE", help="test.csv-format file"
    )
    parser.add_argument(
        "--out", required=True, type=Path, metavar="FILE", help="submission file to write"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    loaded = load_version(resolve_model(args.model, artifacts_dir(args.artifacts)))
    started = time.perf_counter()
    rows = predict_file(loaded, args.input, args.out)
    seconds = time.perf_counter() - started
    print(f"model {loaded.version}: {rows:,} predictions written to {args.out} in {seconds:.1f} s")
    return 0
