"""`encore evaluate`: a stored model's AUC, log loss, accuracy, precision and recall."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from encore.artifacts import artifacts_dir, load_version, resolve_model
from encore.commands.predict import add_model_argument
from encore.scoring import Evaluation, evaluate

COLUMNS = ("auc", "log_loss", "accuracy", "precision", "recall")
HEADINGS = ("AUC", "log loss", "accuracy", "precision", "recall")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="score a model version on the labelled rows of a data folder",
        description=(
            "Score train.csv in --data (joined with the songs and members there) with a stored "
            "model version: AUC, log loss, and accuracy, precision and recall at 0.5. For "
            "generated data (test_labels.csv beside test.csv) test.csv is scored too, and the "
            "generator's oracle (the best possible) is shown beside the model."
        ),
    )
    add_model_argument(parser)
    parser.add_argument("--data", required=True, type=Path, metavar="DIR", help="data folder")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    loaded = load_version(resolve_model(args.model, artifacts_dir(args.artifacts)))
    result = evaluate(loaded, args.data)
    if args.json:
        print(json.dumps(_finite(result.as_dict()), allow_nan=False))
    else:
        print(render(result))
    return 0


def render(result: Evaluation) -> str:
    """A text table: per file, the model's row and the oracle's row when known."""
    names = max(len(section.name) for section in result.sections)
    width = names + 9
    header = f"{'':{width}}" + "".join(f"{h:>11}" for h in HEADINGS) + f"{'rows':>12}"
    lines = [f"model {result.version} on {result.data_dir}", "", header]
    for section in result.sections:
        lines.append(_row(f"{section.name:{names}}  model", section.model.as_dict(), width))
        if section.oracle is not None:
            lines.append(_row(f"{'':{names}}  oracle", section.oracle, width))
    notes = [f"{s.name}: {s.note}" for s in result.sections if s.note]
    if any(section.oracle is not None for section in result.sections):
        notes.append("oracle: the generator's planted model, the best score possible")
    return "\n".join([*lines, "", *notes] if notes else lines)


def _row(label: str, figures: dict[str, Any], width: int) -> str:
    cells = "".join(_cell(figures.get(name)) for name in COLUMNS)
    rows = figures.get("rows")
    return f"{label:{width}}{cells}{'-' if rows is None else format(rows, ','):>12}"


def _cell(value: Any) -> str:
    return f"{'-':>11}" if value is None or math.isnan(value) else f"{value:11.4f}"


def _finite(value: Any) -> Any:
    """NaN (an AUC on one class) as null, so the output is strict JSON."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value
