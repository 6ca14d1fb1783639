"""Generated data sets shared by the datagen tests: each made once per test run, read with csv."""

from __future__ import annotations

import atexit
import csv
import shutil
import tempfile
from functools import cache
from pathlib import Path

from encore.datagen.generate import generate

TINY = (5_000, 7, "tiny")
# Somewhat larger, so missing-value and cold-start rates are measurable.
RATES = (20_000, 11, "custom")


class Table:
    """A CSV file read with the csv module: its header and its data rows."""

    def __init__(self, path: Path) -> None:
        with path.open(newline="", encoding="utf-8") as handle:
            self.header, *self.rows = list(csv.reader(handle))

    def col(self, name: str) -> list[str]:
        index = self.header.index(name)
        return [row[index] for row in self.rows]


@cache
def generated(rows: int, seed: int, scale: str) -> Path:
    out = Path(tempfile.mkdtemp(prefix="encore-datagen-test-"))
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    generate(out, rows, seed, scale)
    return out


@cache
def tables(rows: int, seed: int, scale: str) -> dict[str, Table]:
    folder = generated(rows, seed, scale)
    return {path.stem: Table(path) for path in sorted(folder.glob("*.csv"))}
