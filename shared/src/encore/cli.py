"""The `encore` command: one entry point, one subcommand module per verb."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points
from types import ModuleType

from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

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
    sweep,
    train,
    worker,
)
from encore.errors import EncoreError

BUILTIN = (datagen, inspect, train, sweep, predict, evaluate, db, worker, jobs, models, datasets)
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
    except EncoreError as exc:
        print(f"encore {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"encore {args.command}: error: {_describe(exc)}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(
            f"encore {args.command}: error: database unavailable ({_first_line(exc)})",
            file=sys.stderr,
        )
        return 2
    except RedisError as exc:
        print(
            f"encore {args.command}: error: Redis unavailable ({_first_line(exc)})", file=sys.stderr
        )
        return 2
    except KeyboardInterrupt:
        print(f"encore {args.command}: interrupted", file=sys.stderr)
        return 130
    return code


def _first_line(exc: Exception) -> str:
    """The driver's own message, without SQLAlchemy's statement and background link."""
    origin = getattr(exc, "orig", None) or exc
    return str(origin).strip().splitlines()[0] if str(origin).strip() else type(exc).__name__


def _describe(exc: OSError) -> str:
    """`[Errno 13] Permission denied: 'x'` reads better as `permission denied: x`."""
    reason = (exc.strerror or str(exc)).lower()
    return f"{reason}: {exc.filename}" if exc.filename else reason


if __name__ == "__main__":
    raise SystemExit(main())
