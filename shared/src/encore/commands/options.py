"""Command-line options shared by the commands that train: preset, --set, --split."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from encore.errors import EncoreError
from encore.model import PRESETS, ModelConfig


def add_data_options(parser: argparse.ArgumentParser) -> None:
    """--data (required) and --artifacts, as every training command takes them."""
    parser.add_argument("--data", type=Path, required=True, help="folder with the KKBOX CSVs")
    parser.add_argument(
        "--artifacts",
        type=Path,
        help="artifacts folder (else $ENCORE_ARTIFACTS_DIR, else ./artifacts)",
    )


def add_model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--preset",
        choices=sorted(PRESETS),
        default="default",
        help="default: ours, tuned for quality and speed; seed: the original report's settings",
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one configuration value (repeatable), e.g. --set learning_rate=1e-3",
    )
    parser.add_argument(
        "--split",
        choices=["chronological", "random"],
        help="validation split: the latest 20%% of rows (default) or the report's random 4:1",
    )


def model_config(args: argparse.Namespace) -> ModelConfig:
    config = PRESETS[args.preset].with_overrides(_pairs(args.overrides))
    return replace(config, split=args.split) if args.split else config


def _pairs(overrides: list[str]) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise EncoreError(f"--set expects KEY=VALUE, got {item!r}")
        pairs[key.strip()] = value.strip()
    return pairs
