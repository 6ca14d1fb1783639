"""Server time of POST /recommend with a version's stored candidates, measured inside the app.

Usage: .venv/bin/python -m bench.bench_recommend --model VERSION_FOLDER [--listeners 400]

Registers the version in a scratch records database and calls the ASGI app directly (no
network: the time is the server's, from the request body arriving to the last byte of the
answer), for listeners drawn at random: those with training plays (their stored pool of up
to 500 songs, ranked with the model), at k=10 and k=500, and listeners without (their
profile's list). The baseline, in the same run and process: what /recommend did before the
stored candidates, the model ranking the 200 most played songs (sent as ``candidates``).
Prints one JSON object: per kind the p50, p95, p99 and maximum in milliseconds, the load
time, and the version's bytes on disk (all of it, and its candidates).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.asgi import post, timed_post
from encore.artifacts import load_version
from encore.db import upgrade
from encore.jobs import ModelRegistry
from encore.settings import Settings
from encore_api.app import create_app
from encore_api.predictor import Serving
from encore_api.threads import limit_torch_threads

BASELINE_SONGS = 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--listeners", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started = time.perf_counter()
    Serving.load(args.model)
    load_seconds = time.perf_counter() - started
    bodies = _bodies(args.model, args.listeners, args.seed)
    work = Path(tempfile.mkdtemp(prefix="bench-recommend-"))
    settings = Settings(artifacts_dir=work / "artifacts", data_dir=work, database_url=None,
                        redis_url=None)  # fmt: skip
    settings.artifacts_dir.mkdir()
    limit_torch_threads(settings)  # as `encore serve` does
    upgrade(settings.records_url())
    ModelRegistry(settings.records_url()).register(args.model)
    timings = asyncio.run(_measure(settings, bodies))
    print(json.dumps({
        "model": str(args.model),
        "load_seconds": round(load_seconds, 2),
        "version_bytes": _bytes(args.model),
        "candidate_bytes": _bytes(args.model / "catalogue" / "recommend"),
        "requests_per_kind": args.listeners,
        "milliseconds": timings,
    }, indent=2))  # fmt: skip


def _bodies(model: Path, count: int, seed: int) -> dict[str, list[bytes]]:
    loaded = load_version(model)
    catalogue = loaded.catalogue
    members, keys = catalogue.parts["member"].keys, catalogue.parts["song"].keys
    assert members is not None and keys is not None
    offsets = catalogue.recommendations.pools.songs.offsets
    lengths = np.diff(offsets)
    rng = np.random.default_rng(seed)
    warm = rng.choice(np.flatnonzero(lengths > 0), count)
    cold = rng.choice(np.flatnonzero(lengths == 0), count)
    everyone = catalogue.recommendations.profiles
    popular = everyone.songs.row(everyone.best(-1, -1))[:BASELINE_SONGS]
    songs = [key.decode() for key in keys.keys[popular].tolist()]

    def ids(rows: np.ndarray) -> list[str]:
        return [key.decode() for key in members.keys[rows].tolist()]

    def body(**fields: Any) -> bytes:
        return json.dumps(fields).encode()

    return {
        "stored_k10": [body(msno=m, k=10) for m in ids(warm)],
        "stored_k500": [body(msno=m, k=500) for m in ids(warm)],
        "profile_k10": [body(msno=m, k=10) for m in ids(cold)],
        "baseline_200_popular_k10": [body(msno=m, k=10, candidates=songs) for m in ids(warm)],
    }


async def _measure(settings: Settings, bodies: dict[str, list[bytes]]) -> dict[str, Any]:
    app = create_app(settings)
    results: dict[str, Any] = {}
    async with app.router.lifespan_context(app):
        app.state.encore.predictor.refresh()
        for kind, sent in bodies.items():
            await post(app, "/recommend", sent[0])  # warm-up
            times = [await timed_post(app, "/recommend", body) for body in sent]
            results[kind] = {
                name: round(float(np.percentile(times, q)), 2)
                for name, q in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100))
            }
    return results


def _bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


if __name__ == "__main__":
    main()
