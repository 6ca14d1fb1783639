"""`encore evaluate`: a stored model's AUC, log loss, accuracy, precision and recall."""

from __future__ import annotations

import argparse
import json
import math
from typing import TYPE_CHECKING, Any

from encore.commands.options import add_command, add_data, add_json, add_model_choice
from encore.commands.records import stored_model

if TYPE_CHECKING:
    from encore.scoring import Evaluation

COLUMNS = ("auc", "log_loss", "accuracy", "precision", "recall")
HEADINGS = ("AUC", "log loss", "accuracy", "precision", "recall")


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "evaluate",
        "score a model version on the labelled rows of a data folder",
        "Score train.csv in --data (joined with the songs and members there) with a stored "
        "model version: AUC, log loss, and accuracy, precision and recall at 0.5. For "
        "generated data (test_labels.csv beside test.csv) test.csv is scored too, and the "
        "generator's oracle (the best possible) is shown beside the model.",
        run,
    )
    add_model_choice(parser)
    add_data(parser)
    add_json(parser)


def run(args: argparse.Namespace) -> int:
    from encore.artifacts import load_version
    from encore.scoring import evaluate

    loaded = load_version(stored_model(args.model, args.artifacts))
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
    for section in result.sections:
        if section.cold_start:
            lines += ["", *_cold_start_lines(section.name, section.cold_start)]
    notes = [f"{s.name}: {s.note}" for s in result.sections if s.note]
    if any(section.oracle is not None for section in result.sections):
        notes.append("oracle: the generator's planted model, the best score possible")
    return "\n".join([*lines, "", *notes] if notes else lines)


GROUP_LABELS = {
    "user_seen": "listener seen",
    "user_unseen": "listener new",
    "song_seen": "song seen",
    "song_unseen": "song new",
    "both_unseen": "both new",
}


def _cold_start_lines(name: str, groups: dict[str, dict[str, Any]]) -> list[str]:
    """AUC and rows by whether the model saw the row's listener and song in training."""
    lines = [f"{name} by what the model saw in training{'rows':>14}{'AUC':>11}{'log loss':>11}"]
    for group, label in GROUP_LABELS.items():
        figures = groups[group]
        cells = _cell(figures["auc"]) + _cell(figures["log_loss"])
        lines.append(f"  {label:{len(name) + 28}}{figures['rows']:>12,}{cells}")
    return lines


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
