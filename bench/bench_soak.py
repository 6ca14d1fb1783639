"""A soak: a steady request rate for many minutes, memory and p99 latency minute by minute.

Usage: .venv/bin/python -m bench.bench_soak [--minutes 10] [--rate 300] [--batch-share 0.05]
    [--data DIR] [--model DIR --model DIR]

Serves two versions of the model bench_api serves (the default preset on a tiny generated
set, seeds 0 and 1) under uvicorn, one worker. Each minute two wrk processes, paced to a fixed
rate by a Lua `delay`, send POST /predict/one (one row) and POST /predict (100 rows; a
--batch-share of the requests), cycling 500 distinct validation rows; halfway through each
minute the other version is activated (a model swap under load). After each minute: requests,
p50/p99 per endpoint, non-2xx answers, socket errors, the server's resident memory (VmRSS)
and CPU use, and the machine's load average (other work on it shows in the latencies).
Prints one JSON object with every minute, the memory growth from the end of the first minute
to the end of the last, and a verdict: growth under 5%, the last minute's p99 within twice
the first's for each endpoint and under 10 ms for /predict/one, no failures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from functools import partial
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
    resident_mb,
    serving,
    two_versions,
    two_versions_parser,
    wrk_command,
)
from encore.model import PRESETS
from encore_api.client import ApiClient

MINUTE = 60
BATCH_ROWS = 100
MAX_GROWTH, MAX_P99_RATIO, MAX_ONE_P99_MS = 0.05, 2.0, 10.0
# Paces this wrk thread to one request every `interval` ms: each call claims the next slot,
# catching up at most 100 ms after a stall (no long bursts). wrk gives Lua no clock; LuaJIT's
# ffi does.
PACED = """
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long sec; long nsec; } encore_clock;
int clock_gettime(int clock, encore_clock *now);
]]
local clock = ffi.new("encore_clock")
local interval = %f
local slot = nil
function delay()
  ffi.C.clock_gettime(1, clock)
  local now = tonumber(clock.sec) * 1000 + tonumber(clock.nsec) / 1e6
  slot = math.max((slot or now) + interval, now - 100)
  return math.max(slot - now, 0)
end
"""


def main() -> None:
    args = _arguments()
    work = Path(tempfile.mkdtemp(prefix="bench-soak-"))
    data, versions = two_versions(args, work, PRESETS["default"])
    rows = client_rows(data)
    loads = _loads(rows, args.rate, args.batch_share, work)
    with serving(registered(work, versions), api_key=API_KEY) as server:
        _round(server, loads, 10)  # warm-up, not counted
        minutes = _soak(server, loads, [v.name for v in versions], args.minutes)
    print(json.dumps(_summary(minutes, args), indent=2))


def _arguments() -> argparse.Namespace:
    parser = two_versions_parser(__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--rate", type=float, default=300.0, help="requests/s, both endpoints")
    parser.add_argument(
        "--batch-share", type=float, default=0.05, help="the part of them to POST /predict"
    )
    args = parser.parse_args()
    if args.minutes < 2 or args.rate <= 0 or not 0 < args.batch_share < 1:
        parser.error("--minutes must be at least 2, --rate positive, --batch-share in (0, 1)")
    return args


def _loads(
    rows: list[dict[str, Any]], rate: float, batch_share: float, work: Path
) -> dict[str, tuple[str, Path, int]]:
    """Per endpoint: its path, its paced wrk script, its connections."""
    batches = [{"rows": rows[i : i + BATCH_ROWS]} for i in range(0, len(rows), BATCH_ROWS)]
    one_rate, batch_rate = rate * (1 - batch_share), rate * batch_share
    return {
        "predict_one": ("/predict/one", lua_script(rows, PACED % (1000 / one_rate), work), 4),
        "predict_batch": ("/predict", lua_script(batches, PACED % (1000 / batch_rate), work), 2),
    }


def _soak(
    server: Server, loads: dict[str, tuple[str, Path, int]], versions: list[str], minutes: int
) -> list[dict[str, Any]]:
    client = ApiClient(server.url, api_key=API_KEY)
    results = []
    for minute in range(1, minutes + 1):
        swap = partial(activate, client, versions[minute % len(versions)])
        cpu_before = _cpu_seconds(server.process.pid)
        figures = _round(server, loads, MINUTE, during=swap)
        cpu = (_cpu_seconds(server.process.pid) - cpu_before) / MINUTE
        results.append(
            {"minute": minute, **figures, "rss_mb": resident_mb(server.process.pid),
             "server_cpu_percent": round(100 * cpu, 1),
             "machine_load_1min": round(os.getloadavg()[0], 2)}
        )  # fmt: skip
    return results


def _round(
    server: Server,
    loads: dict[str, tuple[str, Path, int]],
    seconds: int,
    during: Callable[[], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Both loads side by side for `seconds`; `during()` is called halfway through."""
    running = {
        name: subprocess.Popen(
            wrk_command(server.port, path, script, connections, seconds),
            stdout=subprocess.PIPE,
            text=True,
        )
        for name, (path, script, connections) in loads.items()
    }
    figures: dict[str, Any] = {}
    if during is not None:
        time.sleep(seconds / 2)
        figures["activated"] = during()
    for name, process in running.items():
        out, _ = process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"wrk failed (exit status {process.returncode}):\n{out}")
        figures[name] = _figures(out, seconds)
    return figures


def _figures(out: str, seconds: int) -> dict[str, float]:
    counts = failures(out)
    latency = parse(out)
    return {
        "requests": counts["requests"],
        "rate": round(counts["requests"] / seconds, 1),
        "p50_ms": latency["p50_ms"],
        "p99_ms": latency["p99_ms"],
        "non_2xx": counts["non_2xx"],
        "socket_errors": sum(v for k, v in counts.items() if k.startswith("socket_")),
    }


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of the process so far (fields 14 and 15 of its stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _summary(minutes: list[dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    first, last = minutes[0], minutes[-1]
    growth = (last["rss_mb"] - first["rss_mb"]) / first["rss_mb"]
    ratios = {
        name: round(last[name]["p99_ms"] / first[name]["p99_ms"], 2)
        for name in ("predict_one", "predict_batch")
    }
    failed = sum(m[n]["non_2xx"] + m[n]["socket_errors"] for m in minutes for n in ratios)
    swaps = sum(1 for m in minutes if m["activated"]["serving"])
    checks = {
        "memory_growth_under_5_percent": growth < MAX_GROWTH,
        "p99_within_2x_of_first_minute": all(r <= MAX_P99_RATIO for r in ratios.values()),
        "predict_one_p99_under_10_ms": last["predict_one"]["p99_ms"] < MAX_ONE_P99_MS,
        "no_failed_requests": failed == 0,
        "every_swap_done": swaps == len(minutes),
    }
    return {
        "minutes": len(minutes),
        "rate": args.rate,
        "batch_share": args.batch_share,
        "batch_rows": BATCH_ROWS,
        "memory_growth": round(growth, 4),
        "rss_mb_first_last": [first["rss_mb"], last["rss_mb"]],
        "p99_ms_per_minute": {n: [m[n]["p99_ms"] for m in minutes] for n in ratios},
        "p99_last_over_first": ratios,
        "failed_requests": failed,
        "swaps_done": swaps,
        "checks": checks,
        "passed": all(checks.values()),
        "per_minute": minutes,
    }


if __name__ == "__main__":
    main()
