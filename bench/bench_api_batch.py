"""Server time of POST /predict with 1,000 and 10,000 rows, measured inside the app.

Usage: .venv/bin/python -m bench.bench_api_batch [--data DIR] [--model VERSION]
    [--windows 6] [--repeats 5]

Trains the default preset on DIR (default: a generated set of 150,000 plays) unless --model names a
version folder trained on DIR, registers it, and calls the ASGI app directly (no network: the
time is the server's, from the request body arriving to the last byte of the answer).

Rows are the latest train.csv rows, cut into windows of distinct plays. ``ids`` sends what
train.csv holds (ids and sources; the API fills in the rest from its catalogue), as a client
logging plays would; ``every_field`` sends each row joined with its song's and listener's
fields, as a client holding the whole KKBOX row would. ``cold`` times each of ``--windows``
windows once, in a process that has scored none of them (what a stream of new plays costs);
``repeated`` sends the latest window ``--repeats`` times more (what per-process caches, if
the code has any, make of a body that comes again). The script uses only the app, the
pipeline and the registry, so it measures any commit's code the same way. Prints one JSON
object of medians and maxima in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from bench.asgi import timed_post
from encore.datagen.generate import generate
from encore.db import upgrade
from encore.ingest import TRAINING_TABLES, consolidate, load_dataset
from encore.jobs import ModelRegistry
from encore.model import PRESETS
from encore.pipeline import train_version
from encore.settings import Settings
from encore_api.app import create_app

SIZES = (1_000, 10_000)
# Row fields the API takes as whole numbers (a consolidated frame holds them as floats).
WHOLE_NUMBERS = ("song_length", "city", "bd", "registered_via", "registration_init_time",
                 "expiration_date")  # fmt: skip


def main() -> None:
    args = _arguments()
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    data = args.data or _generated(work)
    settings = Settings(artifacts_dir=work / "artifacts", data_dir=work, database_url=None,
                        redis_url=None)  # fmt: skip
    settings.artifacts_dir.mkdir()
    upgrade(settings.records_url())
    version = args.model or train_version(data, work / "versions", PRESETS["default"])
    ModelRegistry(settings.records_url()).register(version)
    # Each kind and size gets plays of its own (the latest first), so none was scored before.
    per_size = [size * args.windows for size in SIZES]
    plays = _latest_plays(data, 2 * sum(per_size))
    ids, joined = plays.iloc[: sum(per_size)], plays.iloc[sum(per_size) :]
    results = {
        "ids": asyncio.run(_measure(settings, _ids_rows(ids), args)),
        "every_field": asyncio.run(_measure(settings, _joined_rows(data, joined), args)),
    }
    print(json.dumps(results, indent=2))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path)
    parser.add_argument("--model", type=Path, help="a version folder trained on --data")
    parser.add_argument("--windows", type=int, default=6, help="distinct windows timed cold")
    parser.add_argument("--repeats", type=int, default=5, help="times the last one is repeated")
    return parser.parse_args()


def _generated(work: Path) -> Path:
    generate(work / "data", 150_000, 7)
    return work / "data"


def _latest_plays(data: Path, count: int) -> pd.DataFrame:
    plays = pd.read_csv(data / "train.csv", dtype=str, keep_default_na=False)
    latest = plays.tail(count).iloc[::-1]  # newest first
    return latest.drop(columns="target").reset_index(drop=True)


def _ids_rows(plays: pd.DataFrame) -> list[dict[str, Any]]:
    records = plays.to_dict("records")
    return [{key: value for key, value in row.items() if value} for row in records]


def _joined_rows(data: Path, plays: pd.DataFrame) -> list[dict[str, Any]]:
    """The same rows joined with songs.csv, song_extra_info.csv and members.csv."""
    dataset = load_dataset(data, required=TRAINING_TABLES, skip=("test",))
    ids = plays.astype({name: "category" for name in plays.columns})
    records = consolidate(ids, dataset).to_dict("records")
    return [
        {key: int(value) if key in WHOLE_NUMBERS else value
         for key, value in row.items() if not pd.isna(value)}
        for row in records
    ]  # fmt: skip


async def _measure(
    settings: Settings, rows: list[dict[str, Any]], args: argparse.Namespace
) -> dict[str, Any]:
    """Cold and repeated times per batch size, each size in a process of its own."""
    results: dict[str, Any] = {}
    start = 0
    for size in SIZES:
        windows = [rows[start + k * size : start + (k + 1) * size] for k in range(args.windows)]
        start += size * args.windows
        bodies = [json.dumps({"rows": window}).encode() for window in windows]
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            app.state.encore.predictor.refresh()
            cold = [await timed_post(app, "/predict", body) for body in bodies]
            repeated = [await timed_post(app, "/predict", bodies[-1]) for _ in range(args.repeats)]
        results[f"rows_{size}"] = {
            "cold_median_ms": round(statistics.median(cold), 1),
            "cold_max_ms": round(max(cold), 1),
            "repeated_median_ms": round(statistics.median(repeated), 1),
            "windows": len(cold),
            "body_bytes": len(bodies[-1]),
        }
    return results


if __name__ == "__main__":
    main()
