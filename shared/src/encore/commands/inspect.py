"""`encore inspect`: the first look at a data folder."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from encore.errors import EncoreError
from encore.ingest.dataset import load_dataset
from encore.ingest.profile import profile
from encore.ingest.report import render_profile
from encore.schema import TEST, TRAIN


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "inspect",
        help="profile a data folder (rows, users, songs, join coverage, gaps)",
        description=(
            "Read and validate the KKBOX-format CSV files in a folder and print a profile: "
            "records per file, distinct users and songs, how many plays find their song and "
            "listener, the test set's cold start, missing values and the target rate."
        ),
    )
    parser.add_argument("--data", required=True, type=Path, metavar="DIR", help="data folder")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    dataset = load_dataset(args.data, required=())
    if not {TRAIN, TEST} & dataset.present:
        raise EncoreError(f"{args.data} holds neither train.csv nor test.csv: nothing to inspect")
    facts = profile(dataset)
    if args.json:
        print(json.dumps({"data_dir": str(args.data), **facts}))
    else:
        print(render_profile(str(args.data), facts))
    return 0
