"""`encore train`: train the report's network on a data folder, write a new model version and
register it in the records the jobs use (embedded SQLite, or DATABASE_URL)."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from encore.commands.options import (
    add_artifacts,
    add_command,
    add_data,
    add_json,
    add_model_options,
    model_config,
    parameters_epilog,
)
from encore.commands.records import ready_settings
from encore.errors import EncoreError

if TYPE_CHECKING:
    from encore.db.tables import ModelVersion
    from encore.settings import Settings


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "train",
        "train a model on a data folder; write and register it as a new version",
        "Read the KKBOX files in --data, split off the latest 20% of train.csv for "
        "validation (or a seeded random 20% with --split random), fit the features on the "
        "training split, train the network with early stopping (the selection run), then "
        "train it again on every row for the epochs that run chose, or at full scale "
        "continue the chosen network on every row for a few epochs (the refit; refit_from "
        "below; --no-refit keeps the selection run's network), write "
        "<artifacts>/models/<version>/ and register it in the records (DATABASE_URL, else "
        "<artifacts>/encore.sqlite3). The first version registered becomes the active one, "
        "which `encore serve` answers with; `encore models activate` switches.",
        run,
        epilog=parameters_epilog(),
    )
    add_data(parser)
    add_artifacts(parser)
    add_model_options(parser)
    parser.add_argument(
        "--no-refit",
        action="store_true",
        help="store the selection run's network (trained without the validation rows) "
        "instead of retraining on every row; the same as --set refit=false",
    )
    add_json(parser, "end the output with one JSON object: the version, its path, its metrics")


def run(args: argparse.Namespace) -> int:
    from encore.pipeline import Hooks, train_version
    from encore.progress import ConsoleProgress

    config = model_config(args)
    if args.no_refit:
        config = replace(config, refit=False)
    settings = ready_settings(args.artifacts)  # the records answer before hours of training
    progress = ConsoleProgress(config.max_epochs)
    hooks = Hooks(
        stage=progress.stage,
        epoch=progress.epoch,
        batch=progress.batch,
        refit_epoch=progress.refit_epoch,
    )
    folder = train_version(args.data, settings.artifacts_dir, config, hooks)
    record = _register(settings, folder)
    summary = _summary(record, folder)
    if args.json:
        print(json.dumps(summary))
    else:
        print(_text(summary))
    return 0


def _register(settings: Settings, folder: Path) -> ModelVersion:
    from sqlalchemy.exc import SQLAlchemyError

    from encore.jobs import ModelRegistry

    registry = ModelRegistry(settings.records_url(), auto_activate=settings.auto_activate)
    try:
        return registry.register(folder)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise EncoreError(
            f"version {folder.name} written to {folder} but not registered, the records "
            f"database is unavailable ({reason}); run `encore models register {folder}` "
            "once it answers (a starting worker also adopts it)"
        ) from None


def _summary(record: ModelVersion, folder: Path) -> dict[str, Any]:
    from encore.artifacts import read_manifest

    manifest = read_manifest(folder)
    return {
        "version": record.version,
        "path": str(folder),
        "active": record.active,
        "metrics": manifest["final_metrics"],
        "epochs_run": manifest.get("epochs_run"),
        "stopped_early": manifest.get("stopped_early"),
        "refit": manifest.get("refit"),
    }


def _text(summary: dict[str, Any]) -> str:
    metrics = summary["metrics"]
    early = ", stopped early" if summary["stopped_early"] else ""
    if summary["active"]:
        state = "active: `encore serve` answers with it"
    else:
        state = f"not active: `encore models activate {summary['version']}` to serve it"
    refit = summary.get("refit")
    weights = (
        f"\nits weights: retrained on all {refit['rows']:,} rows for those {refit['epochs']} "
        "epochs (the figures above are the selection run's, on the validation rows)"
        if refit
        else "\nits weights: the selection run's (trained without the validation rows)"
    )
    return (
        f"version {summary['version']} written to {summary['path']} and registered ({state})\n"
        f"kept epoch {metrics['epoch']} of {summary['epochs_run']} run{early}: valid AUC "
        f"{metrics['auc']:.4f}, valid loss {metrics['valid_loss']:.4f}, accuracy "
        f"{metrics['accuracy']:.4f}{weights}"
    )
