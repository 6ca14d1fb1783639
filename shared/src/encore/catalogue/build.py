"""A data set's catalogue: every song and listener it knows, and the training plays' rows in it.

Songs are those of songs.csv, song_extra_info.csv and the training plays; listeners those of
members.csv and the training plays. Each comes once, with the first row its files give (as
encore.ingest.consolidate joins them), sorted by id (catalogue/keys.py). The play table holds
the distinct source combinations of the training plays. The training plays themselves are kept
as rows of the song and member tables: the recommendation candidates are computed from them
when the version is written (catalogue/candidates.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from encore.catalogue.keys import sorted_ids
from encore.catalogue.pools import Plays
from encore.features import FeatureProcessor, PartArrays, Parts, Rows
from encore.features.rows import Positions, group
from encore.features.spec import KEYS, Part, inputs_of
from encore.features.vocab import Vocabulary
from encore.ingest import Dataset
from encore.ingest.consolidate import column_at
from encore.ingest.keys import distinct_values, first_rows
from encore.schema import EXTRA_FIELDS


@dataclass(frozen=True)
class CatalogueTables:
    tables: dict[Part, pd.DataFrame]  # per part, its input columns; song, member: sorted by id
    plays: Plays  # the training plays' listeners and songs, as rows of those tables


def catalogue_rows(dataset: Dataset) -> tuple[CatalogueTables, Rows]:
    """The data set's catalogue, and its training plays as rows of the catalogue's tables."""
    plays = dataset.train.reset_index(drop=True)
    songs = _entities(dataset, "song", [plays["song_id"], dataset.songs["song_id"],
                                        dataset.extra["song_id"]])  # fmt: skip
    members = _entities(dataset, "member", [plays["msno"], dataset.members["msno"]])
    play_columns = list(KEYS["play"])
    first, play_rows = group(plays, play_columns)
    tables: dict[Part, pd.DataFrame] = {
        "play": plays[play_columns].iloc[first].reset_index(drop=True),
        "song": songs,
        "member": members,
    }
    at: dict[Part, Positions] = {
        "play": play_rows,
        "song": first_rows(plays["song_id"], songs["song_id"]).astype(np.intp),
        "member": first_rows(plays["msno"], members["msno"]).astype(np.intp),
    }
    played = Plays(at["member"].astype(np.int32), at["song"].astype(np.int32),
                   len(members), len(songs), plays["target"].to_numpy() == 1)  # fmt: skip
    return CatalogueTables(tables, played), Rows(tables, at)


def _entities(dataset: Dataset, part: Part, id_columns: list[pd.Series]) -> pd.DataFrame:
    """Every id of ``id_columns`` once, sorted, with the part's columns from its files."""
    key = KEYS[part][0]
    distinct = [distinct_values(column).astype(object) for column in id_columns]
    ordered = pd.Index(sorted_ids(distinct[0].append(distinct[1:]).unique()), dtype=object)
    codes = np.arange(len(ordered), dtype=np.int32)
    ids = pd.Series(pd.Categorical.from_codes(codes, categories=ordered), name=key)
    table: dict[str, object] = {key: ids}
    found: dict[int, np.ndarray] = {}  # each source table's row of every id, matched once
    for name in inputs_of(part)[1:]:
        source = _source_table(dataset, part, name)
        if id(source) not in found:
            found[id(source)] = first_rows(ids, source[key])
        table[name] = column_at(source[name], found[id(source)])
    return pd.DataFrame(table)


def _source_table(dataset: Dataset, part: Part, name: str) -> pd.DataFrame:
    if part == "member":
        return dataset.members
    return dataset.extra if name in EXTRA_FIELDS else dataset.songs


def with_unknown_rows(processor: FeatureProcessor, parts: Parts) -> Parts:
    """The parts with one more row for songs and for listeners: the part of one that is not
    in the catalogue and brings no columns of its own. Its id is outside the vocabulary and
    every other column is missing, so that part is the same whatever the id (catalogue/
    resolve.py serves it for every such id); it is derived like any other."""
    stored = dict(parts)
    for part in ("song", "member"):
        key = KEYS[part][0]
        outside = _outside(processor.vocabularies[key])
        row = {name: [outside if name == key else None] for name in inputs_of(part)}
        unknown = processor.part(part, pd.DataFrame(row, dtype=object))
        stored[part] = PartArrays.stack([parts[part], unknown])
    return stored


def _outside(vocabulary: Vocabulary) -> str:
    """An id that is not in the vocabulary (no KKBOX id starts with a NUL)."""
    outside = "\0unknown"
    while outside in vocabulary.index:
        outside += "\0"
    return outside
