"""`encore sweep`: one model per learning rate, drawn as the original report's figure 2."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from encore.commands.options import (
    add_artifacts,
    add_command,
    add_data,
    add_model_options,
    model_config,
    parameters_epilog,
)
from encore.errors import EncoreError

# (heading, width, format of a value) per column of the results table.
COLUMNS = (
    ("learning rate", 13, ""),
    ("epochs", 6, ""),
    ("kept epoch", 10, ""),
    ("valid loss", 10, ".4f"),
    ("AUC", 6, ".4f"),
    ("accuracy", 8, ".4f"),
)
GAP = "  "


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "sweep",
        "train one model per learning rate and plot their curves",
        "Fit the features once, train one model per learning rate, and draw validation "
        "loss, accuracy and AUC per epoch for each (the original report's figure 2), with a "
        "table of the results. Writes sweep.png and sweep.json under --out.",
        run,
        epilog=parameters_epilog(),
    )
    add_data(parser)
    add_artifacts(parser)
    parser.add_argument(
        "--lrs",
        type=learning_rates,
        default=learning_rates("1e-1,1e-2,1e-3,1e-4"),
        help="comma-separated learning rates (1e-1,1e-2,1e-3,1e-4)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="folder for sweep.png and sweep.json (else <artifacts>/sweeps/<time>)",
    )
    add_model_options(parser)


def run(args: argparse.Namespace) -> int:
    from encore.pipeline import Hooks, fit_prepared, prepare, with_learning_rate
    from encore.plots import sweep_png
    from encore.progress import ConsoleProgress

    config = model_config(args)
    out = args.out or _default_out(args.artifacts)
    progress = ConsoleProgress(config.max_epochs)
    data = prepare(args.data, config, Hooks(stage=progress.stage))
    runs: dict[str, list[dict[str, Any]]] = {}
    kept: dict[str, dict[str, Any]] = {}
    for rate in args.lrs:
        progress.stage(f"learning rate {rate:g}")
        result = fit_prepared(data, with_learning_rate(config, rate), Hooks(epoch=progress.epoch))
        runs[f"{rate:g}"] = [epoch.as_dict() for epoch in result.history]
        kept[f"{rate:g}"] = result.best.as_dict()
    out.mkdir(parents=True, exist_ok=True)
    sweep_png(runs, out / "sweep.png")
    (out / "sweep.json").write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")
    print(table(runs, kept))
    print(f"\nfigure: {out / 'sweep.png'}")
    return 0


def learning_rates(text: str) -> list[float]:
    try:
        rates = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers like 1e-2,1e-3, got {text!r}") from None
    if not rates or any(not 0 < rate < 10 for rate in rates):
        raise argparse.ArgumentTypeError("learning rates must be between 0 and 10")
    return rates


def _default_out(explicit_artifacts: Path | None) -> Path:
    from encore.artifacts import artifacts_dir

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return artifacts_dir(explicit_artifacts) / "sweeps" / stamp


def table(runs: dict[str, list[dict[str, Any]]], kept: dict[str, dict[str, Any]]) -> str:
    """One row per learning rate: its epochs, the kept epoch (the one the monitored figure
    chose) and that epoch's scores; columns right-aligned under their headings, two spaces
    apart."""
    lines = [GAP.join(f"{name:>{width}}" for name, width, _ in COLUMNS)]
    for rate, history in runs.items():
        if not history:
            raise EncoreError(f"learning rate {rate} ran no epoch")
        best = kept[rate]
        scores = (best["epoch"], best["valid_loss"], best["auc"], best["accuracy"])
        values = (rate, len(history), *scores)
        cells = zip(values, COLUMNS, strict=True)
        lines.append(GAP.join(f"{value:>{width}{spec}}" for value, (_, width, spec) in cells))
    return "\n".join(lines)
