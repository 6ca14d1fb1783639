"""A data set validated by the ingest, as training and scoring will read it, and its profile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from encore.ingest.dataset import load_dataset
from encore.ingest.errors import IngestError
from encore.ingest.profile import profile
from encore.schema import MEMBERS, SONGS, SPECS, TEST, TRAIN

NEEDED = (
    f"a data set needs {SPECS[SONGS].filename} and {SPECS[MEMBERS].filename}, with "
    f"{SPECS[TRAIN].filename} to train on or {SPECS[TEST].filename} to score"
)


def check_dataset(folder: Path) -> dict[str, Any]:
    """Read and validate every file with the ingest; the profile `encore inspect` shows.

    Raises IngestError naming the file (and the line and column where there is one).
    """
    dataset = load_dataset(folder, required=())
    missing = [table for table in (SONGS, MEMBERS) if table not in dataset.present]
    if not {TRAIN, TEST} & dataset.present:
        missing.insert(0, TRAIN)
    if missing:
        raise IngestError(SPECS[missing[0]].filename, f"not in the upload: {NEEDED}")
    return profile(dataset)
