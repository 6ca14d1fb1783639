"""How good a version's recommendations are on plays that come after its training plays.

For every listener with training plays who replays songs in the later plays (target 1), the
songs they replayed are the relevant set: hit rate at k (the share of listeners with at
least one of them in their top k) and recall at k (the share of their relevant songs in
their top k, averaged over listeners), for the stored candidates ranked with the model at
each model weight asked for, and for the most played songs they have not played (the
baseline), on the same listeners. Also the share of relevant songs reachable at all: in
the listener's candidate pool, and in the same number of most played songs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from encore.artifacts import LoadedModel
from encore.catalogue.profiles import EVERYONE
from encore.datagen.files import LABELS_FILE
from encore.errors import EncoreError
from encore.ingest import IngestError
from encore.scoring.recommend import MODEL_WEIGHT, candidates_of, scored

KS = (10, 50, 100)
POPULARITY = "popularity"


@dataclass
class Tally:
    """Hits and recall summed over listeners, per k."""

    hits: dict[int, int] = field(default_factory=lambda: dict.fromkeys(KS, 0))
    recall: dict[int, float] = field(default_factory=lambda: dict.fromkeys(KS, 0.0))

    def add(self, ranked: Sequence[str], relevant: set[str]) -> None:
        for k in KS:
            found = len(relevant.intersection(ranked[:k]))
            self.hits[k] += found > 0
            self.recall[k] += found / len(relevant)

    def figures(self, listeners: int) -> dict[str, float]:
        rates = {f"hit_rate@{k}": self.hits[k] / max(listeners, 1) for k in KS}
        return rates | {f"recall@{k}": self.recall[k] / max(listeners, 1) for k in KS}


def later_plays(data_dir: Path) -> tuple[Path, pd.DataFrame]:
    """The labelled later plays of a folder: test.csv with test_labels.csv where the labels
    are there (generated data), else train.csv. Returns the file and its msno, song_id and
    target."""
    test, labels = data_dir / "test.csv", data_dir / LABELS_FILE
    if test.is_file() and labels.is_file():
        plays = _columns(test, ["id", "msno", "song_id"])
        targets = _columns(labels, ["id", "target"])
        return test, plays.merge(targets, on="id").drop(columns="id")
    path = data_dir / "train.csv"
    if not path.is_file():
        raise IngestError("train.csv", f"not found in {data_dir} (the later plays to score with)")
    return path, _columns(path, ["msno", "song_id", "target"])


def _columns(path: Path, names: list[str]) -> pd.DataFrame:
    """Those columns of a CSV file, as text; IngestError naming the file when it lacks one
    or cannot be parsed."""
    try:
        header = pd.read_csv(path, nrows=0).columns
        lacking = [name for name in names if name not in header]
        if lacking:
            raise IngestError(path.name, f"has no column {', '.join(lacking)}")
        return pd.read_csv(path, usecols=names, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise IngestError(path.name, f"cannot be read ({reason})") from None


def relevant_sets(loaded: LoadedModel, plays: pd.DataFrame) -> dict[str, set[str]]:
    """Per listener with training plays, the later songs they replayed (not played before)."""
    replayed = plays[plays["target"].astype(str) == "1"]
    members = loaded.catalogue.parts["member"]
    history = loaded.catalogue.recommendations.history
    sets: dict[str, set[str]] = {}
    for msno, songs in replayed.groupby("msno")["song_id"]:
        row = int(members.positions([[str(msno)]])[0])
        if row >= 0 and len(history.row(row)):
            sets[str(msno)] = set(songs.astype(str))
    return sets


def evaluate_recommendations(
    loaded: LoadedModel,
    data_dir: Path,
    weights: Sequence[float] = (0.0, MODEL_WEIGHT),
    listeners: int | None = None,
    seed: int = 0,
    per_artist: int | None = None,
) -> dict[str, Any]:
    path, plays = later_plays(Path(data_dir))
    relevant = relevant_sets(loaded, plays)
    if not relevant:
        raise EncoreError(
            f"{path.name}: no listener in it has training plays and replays a song (target 1): "
            "nothing to measure"
        )
    chosen = sorted(relevant)
    if listeners is not None and listeners < len(chosen):
        picked = np.random.default_rng(seed).choice(len(chosen), listeners, replace=False)
        chosen = [chosen[i] for i in sorted(picked)]
    tallies = {name: Tally() for name in [*map(_name, weights), POPULARITY]}
    reach = {"pool": 0, POPULARITY: 0, "relevant": 0, "pool_songs": 0}
    popular = _popular_ids(loaded)
    for msno in chosen:
        _one(loaded, msno, relevant[msno], (weights, per_artist), popular, tallies, reach)
    return {
        "model_version": loaded.version,
        "later_plays": str(path),
        "listeners": len(chosen),
        "per_artist": per_artist,
        "relevant_songs": reach["relevant"],
        "reachable": {
            "pool": reach["pool"] / max(reach["relevant"], 1),
            POPULARITY: reach[POPULARITY] / max(reach["relevant"], 1),
            "mean_pool_size": reach["pool_songs"] / max(len(chosen), 1),
        },
        "methods": {name: tally.figures(len(chosen)) for name, tally in tallies.items()},
    }


def _one(
    loaded: LoadedModel,
    msno: str,
    relevant: set[str],
    ranking: tuple[Sequence[float], int | None],
    popular: list[str],
    tallies: dict[str, Tally],
    reach: dict[str, int],
) -> None:
    ranked = scored(loaded, msno, candidates_of(loaded, msno), {})
    weights, per_artist = ranking
    for weight in weights:
        order = ranked.order(weight, per_artist)
        tallies[_name(weight)].add([ranked.ids[i] for i in order], relevant)
    row = int(loaded.catalogue.parts["member"].positions([[msno]])[0])
    heard = set(_ids(loaded, loaded.catalogue.recommendations.played(row)))
    unplayed = [song for song in popular if song not in heard][: len(ranked.ids)]
    tallies[POPULARITY].add(unplayed, relevant)
    reach["relevant"] += len(relevant)
    reach["pool"] += len(relevant.intersection(ranked.ids))
    reach[POPULARITY] += len(relevant.intersection(unplayed))
    reach["pool_songs"] += len(ranked.ids)


def _popular_ids(loaded: LoadedModel) -> list[str]:
    """The most played songs, most played first (the version's list for everyone)."""
    profiles = loaded.catalogue.recommendations.profiles
    return _ids(loaded, profiles.songs.row(profiles.best(EVERYONE, EVERYONE)))


def _ids(loaded: LoadedModel, rows: Any) -> list[str]:
    keys = loaded.catalogue.parts["song"].keys
    assert keys is not None
    return [song.decode("utf-8") for song in keys.keys[np.asarray(rows)].tolist()]


def _name(weight: float) -> str:
    return f"candidates, model weight {weight:g}"
