"""Writing the catalogue into a version folder and reading it back, memory-mapped.

Layout, under ``catalogue/``: per part (``play/``, ``song/``, ``member/``) ``codes.npy`` and
``numeric.npy`` (the coded parts), for songs and members ``keys.npy`` (the sorted ids), and
each input column: ``<name>.npy`` for numbers, ``<name>.codes.npy``, ``.offsets.npy``,
``.blob.npy`` and ``.hashes.npy`` for text (catalogue/strings.py). Then ``recommend/``, the
recommendation candidates (catalogue/stored_candidates.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from encore.catalogue.build import CatalogueTables
from encore.catalogue.keys import KeyIndex, key_array
from encore.catalogue.lookup import Catalogue, Column, PartTable
from encore.catalogue.stored_candidates import (
    FILES,
    RECOMMEND_DIR,
    popularity_only,
    read_candidates,
    write_candidates,
)
from encore.catalogue.strings import StringColumn
from encore.errors import EncoreError
from encore.features import PartArrays
from encore.features.spec import INPUT_BY_NAME, KEYS, PARTS, Part, inputs_of

CATALOGUE_DIR = "catalogue"
STRING_FILES = ("codes", "offsets", "blob", "hashes")
# What versions written before the stored candidates have instead: the most played songs.
LEGACY_POPULAR = "popular.csv"


def write_catalogue(
    folder: Path, tables: CatalogueTables, arrays: Mapping[Part, PartArrays]
) -> list[str]:
    """Write the catalogue under ``folder/catalogue/``; returns the paths relative to folder."""
    root = folder / CATALOGUE_DIR
    written: list[str] = []
    for part in PARTS:
        (root / part).mkdir(parents=True)
        files = _part_files(part, tables.tables[part], arrays[part])
        for name, array in files.items():
            np.save(root / part / f"{name}.npy", array, allow_pickle=False)
            written.append(f"{CATALOGUE_DIR}/{part}/{name}.npy")
    song, member = tables.tables["song"], tables.tables["member"]
    recommend = write_candidates(root, tables.plays, song, member)
    return written + [f"{CATALOGUE_DIR}/{path}" for path in recommend]


def check_catalogue(folder: Path) -> None:
    """EncoreError unless the version folder holds a catalogue: serving reads every song's
    and listener's part from it, so a version without one cannot serve."""
    root = folder / CATALOGUE_DIR
    needed = [root / part / "codes.npy" for part in PARTS]
    if not (root / LEGACY_POPULAR).is_file():  # written before the stored candidates
        needed += [root / RECOMMEND_DIR / f"{name}.npy" for name in FILES]
    missing = [str(path.relative_to(folder)) for path in needed if not path.is_file()]
    if missing:
        raise EncoreError(f"model {folder.name}: no catalogue ({', '.join(missing)} missing)")


def read_catalogue(folder: Path) -> Catalogue:
    """The catalogue of a version folder, its arrays memory-mapped."""
    check_catalogue(folder)
    root = folder / CATALOGUE_DIR
    parts = {part: _read_part(root / part, part) for part in PARTS}
    if (root / RECOMMEND_DIR).is_dir():
        candidates = read_candidates(lambda name: _mapped(root / RECOMMEND_DIR / f"{name}.npy"))
    else:
        popular = pd.read_csv(root / LEGACY_POPULAR, dtype={"song_id": object})
        song_keys = parts["song"].keys
        assert song_keys is not None
        candidates = popularity_only(popular, song_keys, len(parts["member"].arrays) - 1)
    return Catalogue(parts, candidates)


def _part_files(part: Part, table: pd.DataFrame, arrays: PartArrays) -> dict[str, np.ndarray]:
    files: dict[str, np.ndarray] = {"codes": arrays.codes, "numeric": arrays.numeric}
    if part != "play":
        files["keys"] = key_array([str(value) for value in table[KEYS[part][0]]])
    for name in stored_columns(part):
        if INPUT_BY_NAME[name].kind == "number":
            files[name] = table[name].to_numpy(dtype=np.float64)
            continue
        column = StringColumn.of(table[name])
        files |= {f"{name}.{item}": getattr(column, item) for item in STRING_FILES}
    return files


def _mapped(path: Path) -> npt.NDArray[np.generic]:
    mapped = np.load(path, mmap_mode="r", allow_pickle=False)
    # A plain array over the mapped file: np.memmap's own indexing costs microseconds.
    array: npt.NDArray[np.generic] = mapped.view(np.ndarray)
    return array


def _read_part(folder: Path, part: Part) -> PartTable:
    def load(name: str) -> npt.NDArray[np.generic]:
        return _mapped(folder / f"{name}.npy")

    columns: dict[str, Column] = {}
    for name in stored_columns(part):
        if INPUT_BY_NAME[name].kind == "number":
            columns[name] = load(name)  # type: ignore[assignment]
        else:
            pieces = (load(f"{name}.{piece}") for piece in STRING_FILES)
            columns[name] = StringColumn(*pieces)  # type: ignore[arg-type]
    arrays = PartArrays(load("codes"), load("numeric"))  # type: ignore[arg-type]
    if part == "play":
        return PartTable(part, columns, arrays, None, _combos(columns, len(arrays)))
    return PartTable(part, columns, arrays, KeyIndex(load("keys")), None)  # type: ignore[arg-type]


def _combos(columns: dict[str, Column], rows: int) -> dict[tuple[object, ...], int]:
    everyone = np.arange(rows, dtype=np.intp)
    values = []
    for name in KEYS["play"]:
        column = columns[name]
        assert isinstance(column, StringColumn)  # the source columns are text
        values.append(column.values_at(everyone))
    return {combo: row for row, combo in enumerate(zip(*values, strict=True))}


@cache
def stored_columns(part: Part) -> tuple[str, ...]:
    """The input columns kept for a part: all but the key of songs and listeners (which is
    in ``keys.npy``)."""
    key = () if part == "play" else KEYS[part]
    return tuple(name for name in inputs_of(part) if name not in key)
