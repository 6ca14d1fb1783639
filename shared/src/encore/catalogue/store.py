"""Writing the catalogue into a version folder and reading it back."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd

from encore.catalogue.build import CatalogueTables
from encore.errors import EncoreError
from encore.schema import JOINED_NUMBER_COLUMNS

CATALOGUE_DIR = "catalogue"
FILES = {
    "songs": "songs.csv.gz",
    "members": "members.csv.gz",
    "popular": "popular.csv",
    "played": "played.csv.gz",
}


def write_catalogue(folder: Path, tables: CatalogueTables) -> list[str]:
    """Write the tables under ``folder/catalogue/``; returns their paths relative to folder."""
    (folder / CATALOGUE_DIR).mkdir()
    names = []
    for table, filename in FILES.items():
        relative = f"{CATALOGUE_DIR}/{filename}"
        getattr(tables, table).to_csv(folder / relative, index=False)
        names.append(relative)
    return names


def check_catalogue(folder: Path) -> None:
    """EncoreError unless the version folder holds every catalogue file: the API fills in
    the fields a request leaves out from them, so a version without them cannot serve."""
    missing = [name for name in FILES.values() if not (folder / CATALOGUE_DIR / name).is_file()]
    if missing:
        listed = ", ".join(f"{CATALOGUE_DIR}/{name}" for name in missing)
        raise EncoreError(f"model {folder.name}: no catalogue ({listed} missing)")


def read_catalogue(folder: Path) -> CatalogueTables:
    """The tables as written; text stays text (ids are never parsed as numbers)."""
    frames = {
        table: pd.read_csv(
            folder / CATALOGUE_DIR / filename,
            dtype=_dtypes(table),
            keep_default_na=False,
            na_values=[""],
        )
        for table, filename in FILES.items()
    }
    return CatalogueTables(**frames)


def _dtypes(table: str) -> dict[str, str]:
    if table == "popular":
        return {"song_id": "object", "plays": "int64"}
    if table == "played":
        return {"msno": "object", "song_id": "object"}
    return defaultdict(lambda: "object", dict.fromkeys(JOINED_NUMBER_COLUMNS, "float64"))
