"""`encore predict`: a submission file (id, target probability) from a stored model version."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from encore.commands.options import add_command, add_model_choice
from encore.commands.records import stored_model
from encore.errors import EncoreError


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "predict",
        "write a Kaggle submission (id, target) for a test.csv-format file",
        "Score every row of a test.csv-format file with a stored model version and write "
        "id,target (the probability of a replay). songs.csv and members.csv (and "
        "song_extra_info.csv if there) are read from the input file's folder. Rows are "
        "processed in chunks, so any number of rows fits in memory.",
        run,
    )
    add_model_choice(parser)
    parser.add_argument(
        "--input", required=True, type=Path, metavar="FILE", help="test.csv-format file"
    )
    parser.add_argument(
        "--out", required=True, type=Path, metavar="FILE", help="submission file to write"
    )


def run(args: argparse.Namespace) -> int:
    from encore.artifacts import load_version
    from encore.scoring import predict_file

    if not args.input.is_file():
        where = args.input.resolve()
        raise EncoreError(f"--input {where}: no such file")
    loaded = load_version(stored_model(args.model, args.artifacts))
    started = time.perf_counter()
    rows = predict_file(loaded, args.input, args.out)
    seconds = time.perf_counter() - started
    print(f"model {loaded.version}: {rows:,} predictions written to {args.out} in {seconds:.1f} s")
    return 0
