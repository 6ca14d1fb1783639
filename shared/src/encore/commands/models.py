"""`encore models`: registered versions, and which one is active (activate to roll back)."""

from __future__ import annotations

import argparse
from typing import Any

from encore.commands.records import ready_settings
from encore.jobs import ModelRegistry


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "models",
        help="list registered model versions; activate one",
        description="Model versions registered by training jobs; exactly one is active.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="registered versions, oldest first; * marks the active")
    activate = actions.add_parser("activate", help="make a version the active one")
    activate.add_argument("version")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = ready_settings()
    registry = ModelRegistry(settings.records_url())
    if args.action == "activate":
        record = registry.activate(args.version)
        print(f"version {record.version} is active")
        return 0
    for record in registry.versions():
        mark = "*" if record.active else " "
        auc = record.metrics.get("auc")
        print(f"{mark} {record.version}  AUC {auc:.4f}  job {record.job_id or '-'}  {record.path}")
    return 0
