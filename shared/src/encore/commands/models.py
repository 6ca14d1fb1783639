"""`encore models`: registered versions and the active one; register a folder; activate one."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from encore.commands.options import add_actions, add_artifacts, add_command
from encore.commands.records import ready_settings

if TYPE_CHECKING:
    from encore.db.tables import ModelVersion


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "models",
        "list registered model versions; register a version folder; activate one",
        "Model versions registered by `encore train` and by training jobs (or adopted with "
        "`register`); exactly one is active, and `encore serve` answers with it.",
        run,
    )
    actions = add_actions(parser)
    listing = actions.add_parser(
        "list", help="registered versions, oldest first; * marks the active"
    )
    activate = actions.add_parser("activate", help="make a version the active one (a rollback)")
    activate.add_argument("version")
    adopt = actions.add_parser(
        "register",
        help="register a version folder made elsewhere (checked as an activation checks it; "
        "copied into <artifacts>/models first when it is not there)",
    )
    adopt.add_argument("path", type=Path, metavar="PATH", help="a version folder")
    for action in (listing, activate, adopt):
        add_artifacts(action)


def run(args: argparse.Namespace) -> int:
    from encore.jobs import JobStore, ModelRegistry

    settings = ready_settings(args.artifacts)
    registry = ModelRegistry(settings.records_url(), auto_activate=settings.auto_activate)
    if args.action == "activate":
        print(f"version {registry.activate(args.version).version} is active")
    elif args.action == "register":
        from encore.jobs.adopt import adopt

        store = JobStore(settings.records_url())
        record = adopt(registry, store, args.path, settings.artifacts_dir)
        state = "active" if record.active else "not active"
        print(f"version {record.version} registered from {record.path} ({state})")
    else:
        for record in registry.versions():
            print(line(record))
    return 0


def line(record: ModelVersion) -> str:
    mark = "*" if record.active else " "
    auc, epoch = record.metrics.get("auc"), record.metrics.get("epoch")
    figures = f"AUC {auc:.4f}  kept epoch {epoch}" if auc is not None else "no metrics"
    return f"{mark} {record.version}  {figures}  job {record.job_id or '-'}  {record.path}"
