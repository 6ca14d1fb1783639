"""/predict/one against the ceiling with no network: the ASGI app called in one process.

Usage: .venv/bin/python -m bench.bench_api_inprocess [--data DIR] [--model VERSION] [--rounds 5]

What bench_api measures through uvicorn and wrk, without them: microseconds per request for
`POST /ceiling` and `POST /predict/one` over 500 distinct validation rows, and what scoring
one row costs (`Serving.probabilities`) split into finding its features (the resolver) and
the forward pass (the scorer). Medians over rounds, printed as one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.asgi import post
from bench.served import client_rows, embedded_environment, generated_data, registered, train
from encore.catalogue import Columns

PATHS = ("/ceiling", "/predict/one")


def main() -> None:
    args = _arguments()
    work = Path(tempfile.mkdtemp(prefix="bench-api-inprocess-"))
    data = args.data or generated_data(work)
    artifacts = registered(work, [args.model or train(data, work)])
    environment = embedded_environment(artifacts, None)
    os.environ.clear()
    os.environ.update(environment)
    from bench.api_app import app_with_ceiling  # reads the settings just set

    app = app_with_ceiling()
    print(json.dumps(asyncio.run(_measure(app, client_rows(data), args.rounds)), indent=2))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="data set to train on (default: tiny, generated)")
    parser.add_argument("--model", type=Path, help="an existing version folder to serve instead")
    parser.add_argument("--rounds", type=int, default=5)
    return parser.parse_args()


async def _measure(app: Any, rows: list[dict[str, Any]], rounds: int) -> dict[str, float]:
    bodies = [json.dumps(row).encode() for row in rows]
    timings: dict[str, list[float]] = {}
    async with app.router.lifespan_context(app):
        app.state.encore.predictor.refresh()
        serving = app.state.encore.predictor.current
        loaded = serving.loaded
        columns = [Columns.of_records([row]) for row in rows]
        matrices = [loaded.resolver.matrix(c) for c in columns]
        steps: dict[str, Callable[[int], object]] = {
            "scoring_us": lambda i: serving.probabilities([rows[i]]),
            "resolver_us": lambda i: loaded.resolver.matrix(columns[i]),
            "scorer_us": lambda i: loaded.scorer.probabilities(matrices[i]),
        }
        for _ in range(rounds):
            for path in PATHS:
                timings.setdefault(f"{path}_us", []).append(await _per_request(app, path, bodies))
            for name, step in steps.items():
                timings.setdefault(name, []).append(_per_call(step, len(rows)))
    return {name: round(statistics.median(values), 1) for name, values in timings.items()}


async def _per_request(app: Any, path: str, bodies: list[bytes]) -> float:
    started = time.perf_counter()
    for body in bodies:
        status, answer = await post(app, path, body)
        assert status == 200, answer[:300]
    return (time.perf_counter() - started) / len(bodies) * 1e6


def _per_call(step: Callable[[int], object], count: int) -> float:
    started = time.perf_counter()
    for index in range(count):
        step(index)
    return (time.perf_counter() - started) / count * 1e6


if __name__ == "__main__":
    main()
