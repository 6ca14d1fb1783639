"""Time and peak memory of `encore.ingest` (load_dataset, then consolidate train and test).

    nice .venv/bin/python bench/bench_ingest.py [--data DIR] [--scale small|full]

Without --data, a folder of the requested scale is built once (in /tmp) from the real sample
in ../shared/kkbox-sample by repeating its records with altered ids, so that row counts and
distinct users/songs are close to the full data set's. The measurement runs in a fresh child
process so that its peak memory excludes the building. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "kkbox-sample"
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
# Repetitions of each sample file, and how many id variants users and songs cycle through:
# full scale gives ~7.4M train rows, ~31k users, ~370k train songs and ~2.3M songs.
SCALES = {
    "full": {"train": 492, "test": 852, "songs": 77, "song_extra_info": 77, "members": 15},
    "small": {"train": 10, "test": 10, "songs": 3, "song_extra_info": 3, "members": 3},
}
USER_VARIANTS, SONG_VARIANTS = 15, 48


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="measure this folder instead of building one")
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_only:
        print(json.dumps(measure(args.data)))
        return
    folder = args.data or build(Path(f"/tmp/encore-bench-{args.scale}"), SCALES[args.scale])
    command = [sys.executable, __file__, "--measure-only", "--data", str(folder)]
    print(subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip())


def measure(folder: Path) -> dict[str, object]:
    from encore.ingest import consolidate, load_dataset

    started = time.perf_counter()
    dataset = load_dataset(folder)
    loaded = time.perf_counter()
    train = consolidate(dataset.train, dataset)
    joined_train = time.perf_counter()
    test = consolidate(dataset.test, dataset) if dataset.test is not None else None
    joined_test = time.perf_counter()
    return {
        "data": str(folder),
        "train_rows": len(train),
        "test_rows": 0 if test is None else len(test),
        "songs_rows": len(dataset.songs),
        "seconds_load_dataset": round(loaded - started, 2),
        "seconds_consolidate_train": round(joined_train - loaded, 2),
        "seconds_consolidate_test": round(joined_test - joined_train, 2),
        "seconds_total": round(joined_test - started, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def build(folder: Path, repeats: dict[str, int]) -> Path:
    if (folder / "done").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for table, times in repeats.items():
        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            header, rows = read_sample(table)
            writer.writerow(header)
            for copy in range(times):
                writer.writerows(altered(rows, header, copy))
    (folder / "done").touch()
    return folder


def read_sample(table: str) -> tuple[list[str], list[list[str]]]:
    with (SAMPLE / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def altered(rows: list[list[str]], header: list[str], copy: int) -> Iterator[list[str]]:
    """The rows with ids made distinct per copy (cycling through a fixed number of variants)."""
    user = header.index("msno") if "msno" in header else None
    song = header.index("song_id") if "song_id" in header else None
    user_code = variant(copy % USER_VARIANTS)
    song_code = variant(copy if header[0] == "song_id" else copy % SONG_VARIANTS)
    for row in rows:
        row = row.copy()
        if user is not None:
            row[user] = user_code + row[user][2:]
        if song is not None:
            row[song] = song_code + row[song][2:]
        if header[0] == "id":
            row[0] = str(int(row[0]) + copy * len(rows))
        yield row


def variant(number: int) -> str:
    return ALPHABET[number // 64] + ALPHABET[number % 64]


if __name__ == "__main__":
    main()
