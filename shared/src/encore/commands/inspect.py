"""`encore inspect`: the first look at a data folder."""

from __future__ import annotations

import argparse
import json
from typing import Any

from encore.commands.options import add_command, add_data, add_json
from encore.errors import EncoreError
from encore.schema import TEST, TRAIN

# Shares in the JSON profile: enough digits for one record in a million.
SHARE_DIGITS = 6


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "inspect",
        "profile a data folder (rows, users, songs, join coverage, gaps)",
        "Read and validate the KKBOX-format CSV files in a folder and print a profile: "
        "records per file, distinct users and songs, how many plays find their song and "
        "listener, the test set's cold start, missing values and the target rate.",
        run,
    )
    add_data(parser)
    add_json(parser)


def run(args: argparse.Namespace) -> int:
    from encore.ingest.dataset import load_dataset
    from encore.ingest.profile import profile
    from encore.ingest.report import render_profile

    dataset = load_dataset(args.data, required=())
    if not {TRAIN, TEST} & dataset.present:
        raise EncoreError(f"{args.data} holds neither train.csv nor test.csv: nothing to inspect")
    facts = profile(dataset)
    if args.json:
        print(json.dumps({"data_dir": str(args.data), **rounded(facts)}))
    else:
        print(render_profile(str(args.data), facts))
    return 0


def rounded(value: Any) -> Any:
    """Every share (a float) to SHARE_DIGITS decimals, whichever file it belongs to."""
    if isinstance(value, float):
        return round(value, SHARE_DIGITS)
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    return value
