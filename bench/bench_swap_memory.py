"""The API's memory while it swaps versions: resident size serving one, the peak while
activating another (both are in memory until the swap), and after each activation.

Usage: .venv/bin/python -m bench.bench_swap_memory --model VERSION_FOLDER [--swaps 8]

Serves a copy of VERSION_FOLDER under a second version name beside the original (so both are
the same size; use a full-scale version to size the API's memory limit), then activates them
in turn --swaps times, sampling the server's VmRSS every 50 ms. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import threading
import time
from pathlib import Path

from bench.served import API_KEY, activate, registered, resident_mb, serving
from encore_api.client import ApiClient


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True, help="a version folder")
    parser.add_argument("--swaps", type=int, default=8)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-swap-memory-"))
    versions = [args.model, _twin(args.model, work)]
    with serving(registered(work, versions), api_key=API_KEY) as server:
        print(json.dumps(_measure(server.process.pid, server.url, versions, args.swaps), indent=2))


def _twin(model: Path, work: Path) -> Path:
    """A copy of the version under another name (the manifest names its version)."""
    twin = work / "versions" / f"{model.name[:-4]}beef"
    shutil.copytree(model, twin)
    manifest = json.loads((twin / "manifest.json").read_text())
    manifest["version"] = twin.name
    (twin / "manifest.json").write_text(json.dumps(manifest))
    return twin


def _measure(pid: int, url: str, versions: list[Path], swaps: int) -> dict[str, object]:
    client = ApiClient(url, api_key=API_KEY, timeout=300)
    peak, done = [0.0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], resident_mb(pid))
            time.sleep(0.05)

    threading.Thread(target=sample, daemon=True).start()
    time.sleep(2)
    result: dict[str, object] = {"serving_one_mb": round(resident_mb(pid))}
    after = []
    for swap in range(swaps):
        answer = activate(client, versions[(swap + 1) % 2].name)
        assert answer["serving"], answer
        time.sleep(3)
        after.append(round(resident_mb(pid)))
    done.set()
    result |= {"peak_mb": round(peak[0]), "after_each_activation_mb": after}
    return result


if __name__ == "__main__":
    main()
