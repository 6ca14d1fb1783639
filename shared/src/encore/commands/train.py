"""`encore train`: train the report's network on a data folder and write a model version."""

from __future__ import annotations

import argparse
import json
from typing import Any

from encore.artifacts import artifacts_dir, read_manifest
from encore.commands.options import add_data_options, add_model_options, model_config
from encore.pipeline import Hooks, train_version
from encore.progress import ConsoleProgress


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "train",
        help="train a model on a data folder and write it as a new version",
        description=(
            "Read the KKBOX files in --data, split off the latest 20% of train.csv for "
            "validation (or a seeded random 20% with --split random), fit the features on the "
            "training split, train the network with early stopping, and write "
            "<artifacts>/models/<version>/."
        ),
    )
    add_data_options(parser)
    add_model_options(parser)
    parser.add_argument(
        "--json",
        action="store_true",
        help="end the output with one JSON object: the version, its path, its final metrics",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = model_config(args)
    progress = ConsoleProgress(config.max_epochs)
    hooks = Hooks(stage=progress.stage, epoch=progress.epoch, batch=progress.batch)
    version_dir = train_version(args.data, artifacts_dir(args.artifacts), config, hooks)
    manifest = read_manifest(version_dir)
    summary = {
        "version": manifest["version"],
        "path": str(version_dir),
        "metrics": manifest["final_metrics"],
    }
    if args.json:
        print(json.dumps(summary))
    else:
        metrics = summary["metrics"]
        print(
            f"version {summary['version']} written to {version_dir}\n"
            f"best epoch {metrics['epoch']}: valid AUC {metrics['auc']:.4f}, "
            f"valid loss {metrics['valid_loss']:.4f}, accuracy {metrics['accuracy']:.4f}"
        )
    return 0
