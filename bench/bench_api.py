"""/predict/one against a ceiling endpoint, under wrk, with one uvicorn worker on loopback.

Usage: .venv/bin/python -m bench.bench_api [--data DIR] [--seconds 10] [--rounds 3]
    [--connections 8]

Trains a model on DIR (default: a tiny generated set) unless --model points at a version
folder, serves it with `uvicorn bench.api_app:app_with_ceiling` (one worker), and alternates
wrk runs against POST /ceiling (same Row model, constant answer) and POST /predict/one, cycling
through 500 distinct validation rows of ids and source fields (the rest filled from the
catalogue). Prints one JSON object:
requests/s and latency percentiles per endpoint (median over rounds), and the ratio.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path
from typing import Any

from bench.served import (
    client_rows,
    generated_data,
    lua_script,
    parse,
    registered,
    serving,
    train,
    wrk,
)


def main() -> None:
    args = _arguments()
    work = Path(tempfile.mkdtemp(prefix="bench-api-"))
    data = args.data or generated_data(work)
    artifacts = registered(work, [args.model or train(data, work)])
    with serving(artifacts, app="bench.api_app:app_with_ceiling") as server:
        results = _rounds(server.port, client_rows(data), args)
    print(json.dumps(_summary(results, args), indent=2))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="data set to train on (default: tiny, generated)")
    parser.add_argument("--model", type=Path, help="an existing version folder to serve instead")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    return parser.parse_args()


def _rounds(
    port: int, rows: list[dict[str, Any]], args: argparse.Namespace
) -> dict[str, list[dict[str, float]]]:
    script = lua_script(rows)
    results: dict[str, list[dict[str, float]]] = {"ceiling": [], "predict_one": []}
    wrk(port, "/predict/one", script, args.connections, 3)  # warm-up
    for _ in range(args.rounds):
        for name, path in (("ceiling", "/ceiling"), ("predict_one", "/predict/one")):
            results[name].append(parse(wrk(port, path, script, args.connections, args.seconds)))
    return results


def _summary(
    results: dict[str, list[dict[str, float]]], args: argparse.Namespace
) -> dict[str, Any]:
    medians = {
        name: {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        for name, runs in results.items()
    }
    ratio = (
        medians["predict_one"]["requests_per_second"] / medians["ceiling"]["requests_per_second"]
    )
    return {
        "connections": args.connections,
        "seconds_per_run": args.seconds,
        "rounds": args.rounds,
        "median": medians,
        "throughput_ratio": round(ratio, 3),
        "runs": results,
    }


if __name__ == "__main__":
    main()
