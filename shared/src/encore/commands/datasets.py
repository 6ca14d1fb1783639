"""`encore datasets`: import, list, show and delete the data sets under ENCORE_DATA_DIR."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from encore.commands.options import add_actions, add_command
from encore.settings import get_settings

if TYPE_CHECKING:
    from encore.datasets.store import DatasetStore


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "datasets",
        "import, list, show and delete data sets (folders under ENCORE_DATA_DIR)",
        "Data sets are folders of KKBOX files under ENCORE_DATA_DIR, named as jobs name them. "
        "An import is validated by the ingest before the data set appears, and a failed one "
        "leaves nothing behind. The API does the same with PUT /datasets/NAME.",
        run,
    )
    actions = add_actions(parser)
    importing = actions.add_parser(
        "import", help="validate a folder or archive of KKBOX files and add it as a data set"
    )
    importing.add_argument(
        "source", type=Path, help="a folder of KKBOX CSVs, or a .tar(.gz|.bz2|.xz) or .zip of them"
    )
    importing.add_argument("--name", help="the data set's name (default: the source's name)")
    importing.add_argument("--json", action="store_true", help="print the result as JSON")
    listing = actions.add_parser("list", help="the data sets, with their files' sizes")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    show = actions.add_parser("show", help="one data set: its files and its profile")
    show.add_argument("name")
    show.add_argument("--json", action="store_true", help="print the record as JSON")
    delete = actions.add_parser("delete", help="remove a data set (refused while a job uses it)")
    delete.add_argument("name")


def run(args: argparse.Namespace) -> int:
    # The data set code (pandas, the ingest) is imported only when the command runs.
    from encore.commands.records import ready_settings
    from encore.datasets.importing import default_name, import_source
    from encore.datasets.store import DatasetStore
    from encore.jobs import JobStore

    settings = get_settings()
    store = DatasetStore(settings.data_dir)
    if args.action == "import":
        name = args.name or default_name(args.source)
        store.data_dir.mkdir(parents=True, exist_ok=True)
        store.sweep_stale()
        _print(import_source(store, args.source, name, settings.max_upload_bytes), args.json)
    elif args.action == "list":
        _list(store, args.json)
    elif args.action == "show":
        _print(_profiled(store, args.name), args.json)
    else:
        jobs = JobStore(ready_settings().records_url())
        store.delete(args.name, lambda: jobs.active_on(args.name))
        print(f"data set {args.name} deleted")
    return 0


def _profiled(store: DatasetStore, name: str) -> dict[str, Any]:
    """The data set's record; a folder that was not imported is profiled now (and the
    profile kept in the folder for next time, where the folder is ours to write)."""
    from encore.datasets.check import check_dataset

    facts = store.describe(name)
    if facts["profile"] is None:
        computed = check_dataset(store.existing(name))
        store.remember_profile(name, computed)
        facts["profile"] = computed
    return facts


def _list(store: DatasetStore, as_json: bool) -> None:
    described = [store.describe(name, with_profile=False) for name in store.names()]
    if as_json:
        print(json.dumps(described))
        return
    for facts in described:
        came = f"imported {facts['imported_at']}" if facts["imported_at"] else "not imported"
        print(f"{facts['name']}  {len(facts['files'])} files  {_megabytes(facts['bytes'])}  {came}")


def _print(facts: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(facts))
        return
    sizes = ", ".join(f"{name} {_megabytes(size)}" for name, size in facts["files"].items())
    print(f"data set {facts['name']}: {sizes}")
    if facts["profile"] is not None:
        from encore.ingest.report import render_profile

        print(render_profile(facts["name"], facts["profile"]))


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"
