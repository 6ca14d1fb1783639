"""`encore db`: bring the records database to the newest schema, or show where it is."""

from __future__ import annotations

import argparse
from typing import Any

from encore.commands.options import add_actions, add_command


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "db",
        "manage the records database (jobs, metrics, model versions)",
        "The records live in DATABASE_URL, or without it in an SQLite file in the "
        "artifacts folder. `upgrade` runs the Alembic migrations up to the newest schema.",
        run,
    )
    actions = add_actions(parser)
    actions.add_parser("upgrade", help="migrate to the newest schema (alembic upgrade head)")
    actions.add_parser("current", help="print the schema revision the database is at")


def run(args: argparse.Namespace) -> int:
    from encore.db import current_revision, head_revision, upgrade
    from encore.db.engine import redacted
    from encore.settings import get_settings

    settings = get_settings()
    url = settings.records_url()
    if settings.database_url is None:
        settings.artifacts_dir.mkdir(parents=True, exist_ok=True)
    revision = upgrade(url) if args.action == "upgrade" else current_revision(url)
    print(f"{redacted(url)}: at revision {revision or 'none'} (newest: {head_revision()})")
    return 0
