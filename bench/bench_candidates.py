"""Building a version's recommendation candidates from a data folder: time, memory, size.

Usage: .venv/bin/python bench/bench_candidates.py --data /tmp/dg_full

Reads the training plays as `encore train` does, then computes what a version stores under
catalogue/recommend/ (the listeners' pools, their histories, the profile lists) and writes
it to a temporary folder. Prints one JSON object: the plays, listeners and songs, the
seconds of the build, the process's peak resident memory before and after it, its resident
memory when the build starts and the most sampled during it (the build's own share is the
difference), and the bytes written. The build's CPU seconds (all threads) say what its
wall time would be on an idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import threading
import time
from pathlib import Path

from encore.catalogue import catalogue_rows
from encore.catalogue.stored_candidates import write_candidates
from encore.ingest import TRAINING_TABLES, load_dataset
from encore.schema import TEST

PAGE = os.sysconf("SC_PAGE_SIZE")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 2**20


class RssSampler(threading.Thread):
    """The largest resident size seen every 20 ms while the build runs (the process's own
    peak, ``ru_maxrss``, is usually the reading's, before)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = _rss_mb()
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            self.peak = max(self.peak, _rss_mb())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    dataset = load_dataset(args.data, required=TRAINING_TABLES, skip=(TEST,))
    tables, _ = catalogue_rows(dataset)
    del dataset
    read_seconds = time.perf_counter() - started
    before, resident = _peak_mb(), _rss_mb()
    sampler = RssSampler()
    sampler.start()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        started, cpu = time.perf_counter(), time.process_time()
        written = write_candidates(root, tables.plays, tables.tables["song"],
                                   tables.tables["member"])  # fmt: skip
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        sampler.done.set()
        size = sum((root / path).stat().st_size for path in written)
    plays = tables.plays
    print(json.dumps({
        "data": str(args.data),
        "plays": len(plays.song),
        "listeners_with_plays": len(set(plays.listener.tolist())),
        "songs_in_catalogue": plays.songs,
        "read_seconds": round(read_seconds, 1),
        "build_seconds": round(seconds, 1),
        "build_cpu_seconds": round(cpu, 1),
        "peak_rss_mb_before_build": round(before),
        "peak_rss_mb_after_build": round(_peak_mb()),
        "rss_mb_at_build_start": round(resident),
        "rss_mb_peak_during_build": round(sampler.peak),
        "bytes_written": size,
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
