"""What the API benchmarks share: a trained version, client rows, the API under uvicorn on
loopback, and wrk against it (a Lua script cycling distinct bodies, its output parsed)."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from encore.datagen.generate import generate
from encore.db import upgrade
from encore.jobs import ModelRegistry
from encore.model import PRESETS, ModelConfig
from encore.pipeline import train_version
from encore_api.client import ApiClient, free_port

ROOT = Path(__file__).resolve().parents[1]
API_KEY = "bench-api-key-0123456789"
DISTINCT_ROWS = 500
# What `encore serve` runs; bench_api adds a ceiling route to it.
API_APP = "encore_api.app:app_from_env"
# Each request takes the next of the prepared bodies, so the server sees distinct rows.
CYCLE_BODIES = """local bodies = {%s}
local headers = {["Content-Type"] = "application/json"}
local i = 0
request = function()
  i = i %% #bodies + 1
  return wrk.format("POST", nil, headers, bodies[i])
end
"""
SOCKET_ERRORS = ("connect", "read", "write", "timeout")
SOCKET_LINE = r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"


def generated_data(work: Path) -> Path:
    """The tiny generated set (5,000 plays) the API benchmarks train on by default."""
    data = work / "data"
    if not (data / "train.csv").is_file():
        generate(data, 5_000, 7, "tiny")
    return data


def train(data: Path, work: Path, config: ModelConfig = PRESETS["default"]) -> Path:
    return train_version(data, work / "versions", config)


def two_versions_parser(description: str) -> argparse.ArgumentParser:
    """Arguments for a benchmark that swaps between two versions: --data and --model twice."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", type=Path, help="data set to train on (default: tiny, generated)")
    parser.add_argument(
        "--model", type=Path, action="append", help="a version folder to serve (give two)"
    )
    return parser


def two_versions(
    args: argparse.Namespace, work: Path, config: ModelConfig
) -> tuple[Path, list[Path]]:
    """The data set and the two versions: --model's folders, or two trained (seeds 0, 1)."""
    data = args.data or generated_data(work)
    if args.model is None:
        return data, [train(data, work, replace(config, seed=seed)) for seed in (0, 1)]
    if len(args.model) != 2:
        raise SystemExit("--model: give two version folders (or none, to train two)")
    return data, list(args.model)


def client_rows(data: Path, count: int = DISTINCT_ROWS) -> list[dict[str, Any]]:
    """The latest train.csv rows (the validation split), as a client would send them: the
    ids and the play's source fields; the rest comes from the catalogue."""
    plays = pd.read_csv(data / "train.csv", dtype=str, keep_default_na=False)
    keys = ["msno", "song_id", "source_system_tab", "source_screen_name", "source_type"]
    records = plays.tail(count)[keys].to_dict("records")
    return [{key: value for key, value in row.items() if value} for row in records]


def registered(work: Path, versions: list[Path]) -> Path:
    """An artifacts folder whose SQLite registry holds `versions`, the first one active."""
    artifacts = work / "artifacts"
    artifacts.mkdir(exist_ok=True)
    url = f"sqlite:///{artifacts / 'encore.sqlite3'}"
    upgrade(url)
    registry = ModelRegistry(url)
    for version in versions:
        registry.register(version)
    return artifacts


@dataclass(frozen=True)
class Server:
    process: subprocess.Popen[bytes]
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def serving(artifacts: Path, app: str = API_APP, api_key: str | None = None) -> Iterator[Server]:
    """One uvicorn worker on a free loopback port in embedded mode (no PostgreSQL, no Redis),
    ready (a version loaded) when this yields; stopped afterwards."""
    port = free_port()
    env = embedded_environment(artifacts, api_key)
    process = subprocess.Popen(_uvicorn(app, port), env=env, cwd=ROOT)
    try:
        _wait_ready(process, port)
        yield Server(process, port)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def embedded_environment(artifacts: Path, api_key: str | None) -> dict[str, str]:
    """The caller's environment for an API in embedded mode over `artifacts` (no PostgreSQL,
    no Redis, no key but `api_key`)."""
    env = {
        **os.environ,
        "ENCORE_ARTIFACTS_DIR": str(artifacts),
        "ENCORE_DATA_DIR": str(artifacts.parent),
        # The caller's PYTHONPATH after the repository's: a baseline run puts another
        # commit's sources there, and the server must run that code too.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    for name in ("DATABASE_URL", "REDIS_URL", "ENCORE_API_KEY", "ENCORE_READ_KEY"):
        env.pop(name, None)
    if api_key:
        env["ENCORE_API_KEY"] = api_key
    return env


def _uvicorn(app: str, port: int) -> list[str]:
    uvicorn = str(Path(sys.executable).with_name("uvicorn"))
    return [uvicorn, app, "--factory", "--port", str(port), "--workers", "1",
            "--log-level", "warning", "--no-access-log"]  # fmt: skip


def _wait_ready(process: subprocess.Popen[bytes], port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the API did not become ready (exit status {process.poll()})")


def activate(client: ApiClient, version: str) -> dict[str, Any]:
    """POST /models/{version}/activate: its status, whether that version now serves, and
    how long the call took."""
    started = time.monotonic()
    status, body = client.post(f"/models/{version}/activate")
    serves = status == 200 and body.get("version") == version and body.get("serving") is True
    took = round((time.monotonic() - started) * 1000, 1)
    return {"version": version, "status": status, "serving": serves, "ms": took}


def lua_script(bodies: list[Any], extra: str = "", folder: Path | None = None) -> Path:
    """A wrk script (in `folder`, or the temporary folder) cycling through `bodies` (each
    sent as JSON), then `extra` Lua."""
    listed = ", ".join(f"[==[{json.dumps(body)}]==]" for body in bodies)
    script = Path(tempfile.mkstemp(suffix=".lua", dir=folder)[1])
    script.write_text(CYCLE_BODIES % listed + extra, encoding="utf-8")
    return script


def wrk_command(port: int, path: str, script: Path, connections: int, seconds: float) -> list[str]:
    return [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}{path}",
    ]


def wrk(port: int, path: str, script: Path, connections: int, seconds: float) -> str:
    command = wrk_command(port, path, script, connections, seconds)
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def parse(out: str) -> dict[str, float]:
    """Requests/s, p50/p90/p99 in ms, and the non-2xx count from wrk's report."""
    figures = {"requests_per_second": float(_find(r"Requests/sec:\s+([\d.]+)", out)[1])}
    for percent in ("50", "90", "99"):
        match = _find(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out)
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[match[2]]
        figures[f"p{percent}_ms"] = round(float(match[1]) * scale, 3)
    figures["non_2xx"] = float(failures(out)["non_2xx"])
    return figures


def failures(out: str) -> dict[str, int]:
    """Requests done, non-2xx answers and socket errors (connect, read, write, timeout)."""
    counts = {"requests": int(_find(r"(\d+) requests in", out)[1])}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    counts["non_2xx"] = int(errors[1]) if errors else 0
    sockets = re.search(SOCKET_LINE, out)
    for index, name in enumerate(SOCKET_ERRORS, start=1):
        counts[f"socket_{name}"] = int(sockets[index]) if sockets else 0
    return counts


def _find(pattern: str, text: str) -> re.Match[str]:
    match = re.search(pattern, text, re.M)
    if match is None:
        raise SystemExit(f"wrk output lacks {pattern!r}:\n{text}")
    return match


def resident_mb(pid: int) -> float:
    """The process's resident memory (VmRSS) in MB, to 0.1 MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS for process {pid}")
