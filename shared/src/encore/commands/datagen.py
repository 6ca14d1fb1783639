"""`encore datagen`: write a synthetic KKBOX-format data set with a known best possible score."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from encore.commands.options import add_command
from encore.datagen.files import LABELS_FILE, ORACLE_FILE, TRAIN_ORACLE_FILE
from encore.datagen.sizes import MAX_ROWS, MIN_ROWS, SCALES
from encore.errors import EncoreError

DEFAULT_SCALE = "tiny"
DEFAULT_SEED = 0


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "datagen",
        "write a synthetic KKBOX-format data set (with its oracle score)",
        "Write train.csv, test.csv, songs.csv, members.csv, song_extra_info.csv and "
        "sample_submission.csv in the exact KKBOX format, with targets drawn from a planted "
        f"model. Also writes {ORACLE_FILE} (the planted model's own AUC and log loss) and "
        f"{LABELS_FILE} (the test targets and true probabilities) and {TRAIN_ORACLE_FILE} "
        "(the true probability of every train.csv row).",
        run,
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="folder to write (created if missing)"
    )
    parser.add_argument(
        "--scale",
        choices=sorted(SCALES, key=SCALES.__getitem__),
        default=DEFAULT_SCALE,
        help="size preset: tiny (5,000 train rows), small (500,000), full (the real 7,377,418)",
    )
    parser.add_argument("--rows", type=int, help="train row count (overrides --scale)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 0)")


def _train_rows(args: argparse.Namespace) -> int:
    if args.rows is None:
        return SCALES[args.scale]
    if not MIN_ROWS <= args.rows <= MAX_ROWS:
        raise EncoreError(
            f"--rows must be between {MIN_ROWS:,} and {MAX_ROWS:,}, got {args.rows:,}"
        )
    return int(args.rows)


def _check_out_dir(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise EncoreError(f"--out {out} is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EncoreError(f"cannot create --out folder {out}: {exc.strerror}") from exc
    if not os.access(out, os.W_OK | os.X_OK):
        raise EncoreError(f"--out folder {out} is not writable")


def run(args: argparse.Namespace) -> int:
    from encore.datagen.generate import generate

    rows = _train_rows(args)
    _check_out_dir(args.out)
    scale = args.scale if args.rows is None else "custom"
    try:
        summary = generate(args.out, rows, args.seed, scale)
    except OSError as exc:
        raise EncoreError(f"cannot write to {args.out}: {exc.strerror or exc}") from exc
    test = summary.test_score
    print(
        f"wrote {summary.sizes.train_rows:,} train and {summary.sizes.test_rows:,} test rows "
        f"to {args.out} ({summary.bytes_written / 1e6:.1f} MB); oracle test AUC {test.auc:.4f}, "
        f"log loss {test.log_loss:.4f}"
    )
    return 0
