"""How fast the `encore` command answers: help, usage errors, a records listing, and
`encore serve` until /health answers.

    .venv/bin/python -m bench.bench_cli_start [--runs 5] [--code DIR]

`--code DIR` runs another checkout's code (its shared/src and services/api/src first on
PYTHONPATH) with this virtual environment, so that two versions are measured in one run on
the same noisy machine. Prints one JSON object: the median and the slowest of the runs, in
seconds, per command.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from encore_api.client import ApiClient, free_port

ENCORE = str(Path(sys.executable).with_name("encore"))
COMMANDS = {
    "encore --help": ["--help"],
    "encore train --help": ["train", "--help"],
    "encore jobs submit --help": ["jobs", "submit", "--help"],
    "encore train (usage error: no --data)": ["train"],
    "encore models list (embedded, empty)": ["models", "list"],
}
HEALTH_TIMEOUT = 120.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--code", type=Path, help="a checkout whose code to measure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="encore-cli-bench-") as folder:
        env = _environment(args.code, Path(folder))
        figures = {
            name: _timed(lambda a=argv: _run(a, env), args.runs) for name, argv in COMMANDS.items()
        }
        figures["encore serve until /health answers"] = _timed(lambda: _serve(env), args.runs)
    print(json.dumps({"code": str(args.code or "this checkout"), "seconds": figures}, indent=2))


def _environment(code: Path | None, folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENCORE_")}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env["ENCORE_ARTIFACTS_DIR"] = str(folder / "artifacts")
    env["ENCORE_DATA_DIR"] = str(folder / "data")
    if code is not None:
        paths = [code / "shared" / "src", code / "services" / "api" / "src"]
        env["PYTHONPATH"] = os.pathsep.join(str(path.resolve()) for path in paths)
    return env


def _timed(action: object, runs: int) -> dict[str, float]:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        seconds.append(time.perf_counter() - started)
    return {"median": round(statistics.median(seconds), 3), "slowest": round(max(seconds), 3)}


def _run(argv: list[str], env: dict[str, str]) -> None:
    subprocess.run([ENCORE, *argv], env=env, capture_output=True, check=False)


def _serve(env: dict[str, str]) -> None:
    port = free_port()
    server = subprocess.Popen(
        [ENCORE, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = ApiClient(f"http://127.0.0.1:{port}", timeout=2)
    deadline = time.monotonic() + HEALTH_TIMEOUT
    try:
        while time.monotonic() < deadline:
            try:
                if client.get("/health")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.02)
        raise SystemExit("encore serve never answered /health")
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
