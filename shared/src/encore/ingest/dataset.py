"""A data folder's five tables, read and validated.

Which files must be there is the caller's choice (``required``): training needs train.csv,
songs.csv and members.csv (TRAINING_TABLES); scoring needs test.csv, songs.csv and members.csv
(PREDICTION_TABLES). Any other file may be absent: an absent test.csv gives ``test=None``; any
other absent table stands in as an empty table (so every join on it finds nothing, i.e. NaN).
``present`` tells which files were read. A present file is read and validated unless the
caller lists its table in ``skip`` (training skips test.csv: it never looks at it).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from encore.errors import EncoreError
from encore.ingest.errors import IngestError
from encore.ingest.reader import read_table
from encore.ingest.tables import empty_table
from encore.schema import EXTRA, INPUT_SPECS, MEMBERS, SONGS, SPECS, TEST, TRAIN, FileSpec

TRAINING_TABLES = (TRAIN, SONGS, MEMBERS)
PREDICTION_TABLES = (TEST, SONGS, MEMBERS)


@dataclass(frozen=True)
class Dataset:
    """The tables of one data folder; see the module docstring for absent files."""

    train: pd.DataFrame
    test: pd.DataFrame | None
    songs: pd.DataFrame
    members: pd.DataFrame
    extra: pd.DataFrame
    present: frozenset[str]


def load_dataset(
    data_dir: Path | str,
    required: Collection[str] = TRAINING_TABLES,
    skip: Collection[str] = (),
) -> Dataset:
    """Read the files in ``data_dir`` but ``skip``; IngestError if a ``required`` one is absent."""
    folder = Path(data_dir)
    if not folder.is_dir():
        raise EncoreError(f"data folder {folder} does not exist or is not a folder")
    present = frozenset(
        s.table for s in INPUT_SPECS if s.table not in skip and (folder / s.filename).is_file()
    )
    _check_required(folder, required, present)
    tables = {spec.table: _read_or_stand_in(folder, spec, present) for spec in INPUT_SPECS}
    return Dataset(
        train=tables[TRAIN],
        test=tables[TEST] if TEST in present else None,
        songs=tables[SONGS],
        members=tables[MEMBERS],
        extra=tables[EXTRA],
        present=present,
    )


def _check_required(folder: Path, required: Collection[str], present: frozenset[str]) -> None:
    unknown = set(required) - set(SPECS)
    if unknown:
        raise ValueError(f"unknown tables {sorted(unknown)}")
    missing = [table for table in required if table not in present]
    if missing:
        needed = ", ".join(SPECS[table].filename for table in required)
        message = f"not found in {folder} (this step needs {needed})"
        raise IngestError(SPECS[missing[0]].filename, message)


def _read_or_stand_in(folder: Path, spec: FileSpec, present: frozenset[str]) -> pd.DataFrame:
    if spec.table in present:
        return read_table(folder / spec.filename, spec)
    return empty_table(spec)
