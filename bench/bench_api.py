"""/predict/one against a ceiling endpoint, under wrk, with one uvicorn worker on loopback.

Usage: .venv/bin/python bench/bench_api.py [--data DIR] [--seconds 10] [--rounds 3]
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
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import pandas as pd

from encore.datagen.generate import generate
from encore.db import upgrade
from encore.jobs import ModelRegistry
from encore.model import PRESETS
from encore.pipeline import train_version
from encore_api.client import free_port

ROOT = Path(__file__).resolve().parents[1]
# Each request takes the next of the prepared bodies, so the server sees distinct rows.
LUA = """local bodies = {%s}
local headers = {["Content-Type"] = "application/json"}
local i = 0
request = function()
  i = i %% #bodies + 1
  return wrk.format("POST", nil, headers, bodies[i])
end
"""
DISTINCT_ROWS = 500


def main() -> None:
    args = _arguments()
    work = Path(tempfile.mkdtemp(prefix="bench-api-"))
    version = args.model or _train(args.data, work)
    artifacts = work / "artifacts"
    artifacts.mkdir(exist_ok=True)
    url = f"sqlite:///{artifacts / 'encore.sqlite3'}"
    upgrade(url)
    ModelRegistry(url).register(version)
    rows = _rows(args.data or work / "data")
    port = free_port()
    server = _serve(artifacts, work, port)
    try:
        _wait_ready(port)
        results = _rounds(port, rows, args)
    finally:
        server.terminate()
        server.wait(10)
    print(json.dumps(_summary(results, args), indent=2))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="data set to train on (default: tiny, generated)")
    parser.add_argument("--model", type=Path, help="an existing version folder to serve instead")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    return parser.parse_args()


def _train(data: Path | None, work: Path) -> Path:
    if data is None:
        data = work / "data"
        generate(data, 5_000, 7, "tiny")
    return train_version(data, work / "versions", PRESETS["default"])


def _rows(data: Path) -> list[dict[str, Any]]:
    """The latest train.csv rows (the validation split), as a client would send them: the
    ids and the play's source fields; the rest comes from the catalogue."""
    plays = pd.read_csv(data / "train.csv", dtype=str, keep_default_na=False)
    keys = ["msno", "song_id", "source_system_tab", "source_screen_name", "source_type"]
    records = plays.tail(DISTINCT_ROWS)[keys].to_dict("records")
    return [{key: value for key, value in row.items() if value} for row in records]


def _serve(artifacts: Path, work: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ENCORE_ARTIFACTS_DIR": str(artifacts),
        "ENCORE_DATA_DIR": str(work),
        "PYTHONPATH": str(ROOT),
    }
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    command = [
        str(Path(sys.executable).with_name("uvicorn")),
        "bench.api_app:app_with_ceiling",
        "--factory",
        "--port",
        str(port),
        "--workers",
        "1",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return subprocess.Popen(command, env=env, cwd=ROOT)


def _wait_ready(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("the API did not become ready")


def _rounds(
    port: int, rows: list[dict[str, Any]], args: argparse.Namespace
) -> dict[str, list[dict[str, float]]]:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    bodies = ", ".join(f"[==[{json.dumps(row)}]==]" for row in rows)
    script.write_text(LUA % bodies, encoding="utf-8")
    results: dict[str, list[dict[str, float]]] = {"ceiling": [], "predict_one": []}
    _wrk(port, "/predict/one", script, args.connections, 3)  # warm-up
    for _ in range(args.rounds):
        for name, path in (("ceiling", "/ceiling"), ("predict_one", "/predict/one")):
            results[name].append(_wrk(port, path, script, args.connections, args.seconds))
    return results


def _wrk(port: int, path: str, script: Path, connections: int, seconds: int) -> dict[str, float]:
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}{path}",
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return _parse(out)


def _parse(out: str) -> dict[str, float]:
    figures = {"requests_per_second": float(_find(r"Requests/sec:\s+([\d.]+)", out)[1])}
    for percent in ("50", "90", "99"):
        match = _find(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out)
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[match[2]]
        figures[f"p{percent}_ms"] = round(float(match[1]) * scale, 3)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["non_2xx"] = float(errors[1]) if errors else 0.0
    return figures


def _find(pattern: str, text: str) -> re.Match[str]:
    match = re.search(pattern, text, re.M)
    if match is None:
        raise SystemExit(f"wrk output lacks {pattern!r}:\n{text}")
    return match


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
