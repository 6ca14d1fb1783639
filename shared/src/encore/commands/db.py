"""`encore db`: bring the records database to the newest schema, or show where it is."""

from __future__ import annotations

import argparse
from typing import Any

from encore.db import current_revision, head_revision, upgrade
from encore.db.engine import redacted
from encore.settings import get_settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "db",
        help="manage the records database (jobs, metrics, model versions)",
        description=(
            "The records live in DATABASE_URL, or without it in an SQLite file in the "
            "artifacts folder. `upgrade` runs the Alembic migrations up to the newest schema."
        ),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("upgrade", help="migrate to the newest schema (alembic upgrade head)")
    actions.add_parser("current", help="print the schema revision the database is at")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = get_settings()
    url = settings.records_url()
    if settings.database_url is None:
        settings.artifacts_dir.mkdir(parents=True, exist_ok=True)
    if args.action == "upgrade":
        print(f"{redacted(url)}: at revision {upgrade(url)} (newest: {head_revision()})")
    else:
        print(
            f"{redacted(url)}: at revision {current_revision(url) or 'none'} "
            f"(newest: {head_revision()})"
        )
    return 0
