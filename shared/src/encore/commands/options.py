"""The argparse set-up the commands share: one definition of each option and of a command.

Only light modules are imported here: building the parser (`encore --help`, a usage error)
must not import torch, pandas or scikit-learn.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from encore.errors import EncoreError
from encore.model.config import PARAMS, SPLITS, ModelConfig
from encore.model.presets import PRESETS

Run = Callable[[argparse.Namespace], int]
ARTIFACTS_HELP = "artifacts folder (else $ENCORE_ARTIFACTS_DIR, else ./artifacts)"
MODEL_HELP = (
    'a version folder, a version name, "active" (the version the API serves) or "latest" '
    "(the newest version folder, active or not)"
)


def add_command(
    subparsers: Any, name: str, summary: str, description: str, run: Run, epilog: str = ""
) -> argparse.ArgumentParser:
    """A subcommand `name` that runs `run(args)`; `summary` is its line in `encore --help`."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=summary,
        description=description,
        epilog=epilog or None,
        formatter_class=argparse.RawDescriptionHelpFormatter if epilog else argparse.HelpFormatter,
    )
    parser.set_defaults(func=run)
    return parser


def add_actions(parser: argparse.ArgumentParser) -> Any:
    """The ACTION sub-subcommands of a command such as `encore jobs`."""
    return parser.add_subparsers(dest="action", metavar="ACTION", required=True)


def add_artifacts(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--artifacts", type=Path, metavar="DIR", help=ARTIFACTS_HELP)


def add_data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", type=Path, required=True, metavar="DIR", help="folder with the KKBOX CSVs"
    )


def add_json(parser: argparse.ArgumentParser, what: str = "print one JSON object instead") -> None:
    parser.add_argument("--json", action="store_true", help=what)


def add_model_choice(parser: argparse.ArgumentParser) -> None:
    """--model and --artifacts, for the commands that use a stored version."""
    parser.add_argument("--model", required=True, metavar="MODEL", help=MODEL_HELP)
    add_artifacts(parser)


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """--preset, --set and --split, for the commands that train."""
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
        help="override one configuration value (repeatable), e.g. --set learning_rate=1e-3; "
        "the keys are listed below",
    )
    parser.add_argument(
        "--split",
        choices=list(SPLITS),
        help="validation split: the latest 20%% of rows (default) or the report's random 4:1",
    )


def parameters_epilog() -> str:
    """The --set keys: name, valid values, default (the default preset) and what each does."""
    defaults = ModelConfig().to_dict()
    seed = PRESETS["seed"].to_dict()
    width = max(len(param.name) for param in PARAMS)
    lines = ["keys for --set (default preset value; seed preset value where it differs):"]
    for param in PARAMS:
        default = _shown(defaults[param.name])
        if seed[param.name] != defaults[param.name]:
            default += f"; seed {_shown(seed[param.name])}"
        lines.append(f"  {param.name:<{width}}  {param.valid} (default {default})")
        lines.append(f"  {'':<{width}}  {param.about}")
    return "\n".join(lines)


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


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
