"""Failed requests while the answering version swaps under load (the target is zero).

Usage: .venv/bin/python -m bench.bench_swap_load [--data DIR] [--model DIR --model DIR]
    [--swaps 10] [--swap-every 2] [--connections 4]

Serves two versions (by default two small models trained on a tiny generated set, seeds 0
and 1) under uvicorn, one worker, with an API key; runs wrk against POST /predict/one, cycling
500 distinct validation rows, and meanwhile activates the other version --swaps times, one
every --swap-every seconds (or as soon as the previous activation returns, if it took
longer), with POST /models/{version}/activate. The load goes on for a second after the last
activation returns, then wrk is stopped. A Lua callback counts the answers by their
model_version. Prints one JSON object: how long the load ran, requests, non-2xx answers,
socket errors, timeouts, the swaps done and how long each activation took, and the answers
per version.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import signal
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.served import (
    API_KEY,
    Server,
    activate,
    client_rows,
    failures,
    lua_script,
    parse,
    registered,
    serving,
    two_versions,
    two_versions_parser,
    wrk_command,
)
from encore.model import ModelConfig
from encore_api.client import ApiClient

# wrk needs a duration: a bound on one activation's seconds, far above any seen (5 s).
LOAD_SECONDS_LIMIT = 30
SMALL = ModelConfig(max_epochs=2, batch_size=256, hidden=(32, 16), embedding_dim=8)
# Counts each thread's answers by version; `done` prints every thread's counts.
TALLY = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
answered = {}
function response(status, headers, body)
  local version = string.match(body, '"model_version"%s*:%s*"([^"]*)"') or "none"
  answered[version] = (answered[version] or 0) + 1
end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for version, count in pairs(thread:get("answered")) do
      io.write(string.format("answered %s %d\\n", version, count))
    end
  end
  io.write(string.format("max latency us %d\\n", latency.max))
end
"""


def main() -> None:
    args = _arguments()
    work = Path(tempfile.mkdtemp(prefix="bench-swap-"))
    data, versions = two_versions(args, work, SMALL)
    with serving(registered(work, versions), api_key=API_KEY) as server:
        result = measure(
            server,
            [version.name for version in versions],
            client_rows(data),
            swaps=args.swaps,
            swap_every=args.swap_every,
            connections=args.connections,
        )
    print(json.dumps(result, indent=2))


def _arguments() -> argparse.Namespace:
    parser = two_versions_parser(__doc__.splitlines()[0])
    parser.add_argument("--swaps", type=int, default=10)
    parser.add_argument("--swap-every", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=4)
    return parser.parse_args()


def measure(
    server: Server,
    versions: list[str],
    rows: list[dict[str, Any]],
    swaps: int,
    swap_every: float,
    connections: int,
    settle: float = 1.0,
) -> dict[str, Any]:
    """wrk against /predict/one while the next of `versions` (the first being the active one)
    is activated `swaps` times, the first after half of `swap_every`; the load goes on for
    `settle` seconds after the last activation returns. The server must hold API_KEY as its
    API key."""
    script = lua_script(rows, TALLY)
    limit = math.ceil(60 + swaps * (swap_every + LOAD_SECONDS_LIMIT))  # wrk takes whole seconds
    command = wrk_command(server.port, "/predict/one", script, connections, limit)
    client = ApiClient(server.url, api_key=API_KEY)
    started = time.monotonic()
    load = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        activations = _swap_while_running(load, client, versions, swaps, swap_every)
        if not _ended_before(load, time.monotonic() + settle):
            load.send_signal(signal.SIGINT)  # wrk stops, prints its figures and runs done()
        out, _ = load.communicate()
    finally:
        if load.poll() is None:  # an activation raised: stop the load too
            load.kill()
            load.wait()
        script.unlink()
    if load.returncode != 0:
        raise RuntimeError(f"wrk failed (exit status {load.returncode}):\n{out}")
    seconds = round(time.monotonic() - started, 1)
    return _summary(out, activations, seconds, swap_every, connections)


def _swap_while_running(
    load: subprocess.Popen[str],
    client: ApiClient,
    versions: list[str],
    swaps: int,
    swap_every: float,
) -> list[dict[str, Any]]:
    activations: list[dict[str, Any]] = []
    next_swap = time.monotonic() + swap_every / 2
    while len(activations) < swaps and not _ended_before(load, next_swap):
        activations.append(activate(client, versions[(len(activations) + 1) % len(versions)]))
        next_swap += swap_every
    return activations


def _ended_before(process: subprocess.Popen[str], moment: float) -> bool:
    """Wait until `moment`; True if the process ended first."""
    try:
        process.wait(max(0.0, moment - time.monotonic()))
    except subprocess.TimeoutExpired:
        return False
    return True


def _summary(
    out: str,
    activations: list[dict[str, Any]],
    seconds: float,
    swap_every: float,
    connections: int,
) -> dict[str, Any]:
    counts = failures(out)
    answered: Counter[str] = Counter()
    for version, count in re.findall(r"^answered (\S+) (\d+)$", out, re.M):
        answered[version] += int(count)
    latency = {k.removesuffix("_ms"): v for k, v in parse(out).items() if k.endswith("_ms")}
    max_us = re.search(r"^max latency us (\d+)$", out, re.M)
    latency["max"] = round(int(max_us[1]) / 1000, 1) if max_us else float("nan")
    failed = counts["non_2xx"] + sum(v for k, v in counts.items() if k.startswith("socket_"))
    return {
        "seconds": seconds,
        "connections": connections,
        "swap_every_seconds": swap_every,
        **counts,
        "failed_requests": failed,
        "swaps_requested": len(activations),
        "swaps_done": sum(1 for a in activations if a["serving"]),
        "activations": activations,
        "answers_by_version": dict(answered),
        "latency_ms": latency,
    }


if __name__ == "__main__":
    main()
