"""The `encore` command: one entry point, one subcommand module per verb.

Building the parser imports only light modules: each command imports what it runs with (torch,
pandas, the database layer) inside its `run`, so `encore --help`, `encore <command> --help` and
a usage error answer at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points
from types import ModuleType

from encore import __version__
from encore.commands import (
    datagen,
    datasets,
    db,
    evaluate,
    inspect,
    jobs,
    models,
    predict,
    recommend_eval,
    sweep,
    train,
    worker,
)
from encore.errors import EncoreError

BUILTIN = (datagen, inspect, train, sweep, predict, evaluate, recommend_eval, db, worker, jobs,
           models, datasets)  # fmt: skip
# Installed services add their own (the API adds `serve`) under this entry-point group.
PLUGIN_GROUP = "encore.commands"


def subcommands() -> list[ModuleType]:
    """The built-in subcommands, then those of installed plugins (a plugin may replace one)."""
    found = {module.__name__.rsplit(".", 1)[-1]: module for module in BUILTIN}
    for entry in entry_points(group=PLUGIN_GROUP):
        found[entry.name] = entry.load()
    return list(found.values())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="encore",
        description="Encore: music re-listen prediction on KKBOX-format listening logs.",
    )
    parser.add_argument("--version", action="version", version=f"encore {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in subcommands():
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        print(f"encore {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        message = one_line(exc)
        if message is None:
            raise
        print(f"encore {args.command}: error: {message}", file=sys.stderr)
        return 2
    return code


def one_line(exc: BaseException) -> str | None:
    """What a user needs to read about an error they can act on; None for a bug.

    The database and Redis layers are looked up among the modules already imported: an error
    of theirs can only come from a command that imported them.
    """
    if isinstance(exc, EncoreError):
        return str(exc)
    if isinstance(exc, OSError):
        return _describe(exc)
    database = sys.modules.get("sqlalchemy.exc")
    if database is not None and isinstance(exc, database.SQLAlchemyError):
        return f"database unavailable ({_first_line(exc)})"
    redis = sys.modules.get("redis.exceptions")
    if redis is not None and isinstance(exc, redis.RedisError):
        return f"Redis unavailable ({_first_line(exc)})"
    return None


def _first_line(exc: BaseException) -> str:
    """The driver's own message, without SQLAlchemy's statement and background link."""
    origin = getattr(exc, "orig", None) or exc
    return str(origin).strip().splitlines()[0] if str(origin).strip() else type(exc).__name__


def _describe(exc: OSError) -> str:
    """`[Errno 13] Permission denied: 'x'` reads better as `permission denied: x`."""
    reason = (exc.strerror or str(exc)).lower()
    return f"{reason}: {exc.filename}" if exc.filename else reason


if __name__ == "__main__":
    raise SystemExit(main())
