"""Server time of POST /predict with 1,000 and 10,000 rows, measured inside the app.

Usage: .venv/bin/python bench/bench_api_batch.py [--data DIR] [--model VERSION] [--repeats 10]

Trains the default preset on DIR (default: a tiny generated set) unless --model names a
version folder trained on DIR, registers it, and calls
the ASGI app directly (no network: the time is the server's, from the request body arriving
to the last byte of the answer). Rows are the latest train.csv rows: ``rows_N`` sends what
train.csv holds (ids and sources; the API fills in the rest from its catalogue), as a client
logging plays would; ``every_field.rows_N`` sends each row joined with its song's and
listener's fields, as a client holding the whole KKBOX row would. Prints one JSON object:
median and max milliseconds per batch size, and the median with the row-code caches
cleared before each call (every song and listener in the batch coded and completed anew).
``--windows K`` also sends the K 10,000-row windows of ids and sources before the latest,
oldest first, each once (``fresh_windows``): a stream of new plays.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

from encore.datagen.generate import generate
from encore.db import upgrade
from encore.features.rowcodes import clear_caches
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path)
    parser.add_argument("--model", type=Path, help="a version folder trained on --data")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument(
        "--windows", type=int, default=0, help="also time this many earlier 10,000-row windows"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    data = args.data or _generated(work)
    settings = Settings(artifacts_dir=work / "artifacts", data_dir=work, database_url=None,
                        redis_url=None)  # fmt: skip
    settings.artifacts_dir.mkdir()
    upgrade(settings.records_url())
    version = args.model or train_version(data, work / "versions", PRESETS["default"])
    ModelRegistry(settings.records_url()).register(version)
    rows = _rows(data, max(SIZES) * (1 + args.windows))
    results = asyncio.run(_measure(settings, rows[-max(SIZES) :], args.repeats))
    results["every_field"] = asyncio.run(_measure(settings, _full_rows(data), args.repeats))
    if args.windows:
        size = max(SIZES)
        windows = [rows[at : at + size] for at in range(0, len(rows) - size, size)]
        results["fresh_windows"] = asyncio.run(_fresh(settings, windows))
    print(json.dumps(results, indent=2))


def _generated(work: Path) -> Path:
    generate(work / "data", 50_000, 7, "tiny")
    return work / "data"


def _rows(data: Path, count: int) -> list[dict[str, Any]]:
    plays = pd.read_csv(data / "train.csv", dtype=str, keep_default_na=False).tail(count)
    records = plays.drop(columns="target").to_dict("records")
    return [{key: value for key, value in row.items() if value} for row in records]


def _full_rows(data: Path) -> list[dict[str, Any]]:
    """The same rows joined with songs.csv, song_extra_info.csv and members.csv."""
    dataset = load_dataset(data, required=TRAINING_TABLES, skip=("test",))
    plays = dataset.train.tail(max(SIZES)).reset_index(drop=True)
    records = consolidate(plays, dataset).drop(columns="target").to_dict("records")
    return [
        {key: int(value) if key in WHOLE_NUMBERS else value
         for key, value in row.items() if not pd.isna(value)}
        for row in records
    ]  # fmt: skip


async def _measure(settings: Settings, rows: list[dict[str, Any]], repeats: int) -> dict[str, Any]:
    app = create_app(settings)
    results: dict[str, Any] = {}
    async with app.router.lifespan_context(app):
        app.state.encore.predictor.refresh()
        for size in SIZES:
            body = json.dumps({"rows": rows[:size]}).encode()
            await _call(app, body)  # warm-up
            times = [await _timed(app, body) for _ in range(repeats)]
            cold = [await _timed(app, body, cold=True) for _ in range(repeats)]
            results[f"rows_{size}"] = {
                "median_ms": round(statistics.median(times), 1),
                "max_ms": round(max(times), 1),
                "cold_caches_median_ms": round(statistics.median(cold), 1),
                "body_bytes": len(body),
            }
    return results


async def _fresh(settings: Settings, windows: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """Each window once, oldest first, in a process that has served nothing before: a stream
    of new plays, whose songs the row-code caches mostly have not seen."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        app.state.encore.predictor.refresh()
        bodies = [json.dumps({"rows": window}).encode() for window in windows]
        clear_caches()
        times = [await _timed(app, body) for body in bodies]
    median, most = round(statistics.median(times), 1), round(max(times), 1)
    return {"rows": max(SIZES), "windows": len(times), "median_ms": median, "max_ms": most}


async def _timed(app: Any, body: bytes, cold: bool = False) -> float:
    """Milliseconds for one call; ``cold``: with every song and listener coded anew."""
    if cold:
        clear_caches()
    started = time.perf_counter()
    status = await _call(app, body)
    assert status == 200, status
    return (time.perf_counter() - started) * 1000


async def _call(app: Any, body: bytes) -> int:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/predict", "raw_path": b"/predict", "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
        "headers": [(b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())],
    }  # fmt: skip
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return int(sent[0]["status"])


if __name__ == "__main__":
    main()
