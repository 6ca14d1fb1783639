"""Recommendations for a listener: the version's stored candidates, ranked with the model.

The candidate score says how likely the listener is to play a song (co-listening, artists,
taste, popularity); the model says how likely they are to come back to it once played. The
ranking multiplies them, the model's probability raised to ``MODEL_WEIGHT`` (chosen by
measurement on later rows: docs/benchmarks.md). Songs a request names itself are ranked by
the model alone, exactly as /predict scores them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from encore.artifacts import LoadedModel
from encore.catalogue import Columns
from encore.catalogue.pools import GIVEN, SOURCES
from encore.catalogue.profiles import profile_keys
from encore.catalogue.recommend import Candidates
from encore.catalogue.strings import StringColumn

Floats = npt.NDArray[np.float64]
MODEL_WEIGHT = 0.5
# At most this many songs of one artist before every other song (None: no limit); measured
# in docs/benchmarks.md.
PER_ARTIST: int | None = None
# Never log(0): a candidate score or a probability this small ranks last.
FLOOR = 1e-9


@dataclass(frozen=True)
class Pick:
    song_id: str
    probability: float
    score: float  # the candidate score (1: the listener's best candidate)
    source: str


@dataclass(frozen=True)
class Scored:
    """A listener's candidates with the model's probability of each."""

    ids: list[str]
    candidates: Candidates
    probabilities: Floats
    artists: npt.NDArray[np.int32]  # per candidate, its artist's code (-1: none known)

    def order(
        self, model_weight: float = MODEL_WEIGHT, per_artist: int | None = PER_ARTIST
    ) -> npt.NDArray[np.intp]:
        """Candidate positions, best first; with ``per_artist``, a song whose artist already
        has that many songs before it moves after the songs that do not."""
        rank = np.log(np.maximum(self.candidates.scores, FLOOR)) + model_weight * np.log(
            np.maximum(self.probabilities, FLOOR)
        )
        order = np.argsort(-rank, kind="stable")
        return order if per_artist is None else _diverse(order, self.artists, per_artist)

    def picks(
        self, k: int, model_weight: float = MODEL_WEIGHT, per_artist: int | None = PER_ARTIST
    ) -> list[Pick]:
        best = self.order(model_weight, per_artist)[:k].tolist()
        cands = self.candidates
        return [Pick(self.ids[i], float(self.probabilities[i]), float(cands.scores[i]),
                     SOURCES[int(cands.sources[i])]) for i in best]  # fmt: skip


def candidates_of(loaded: LoadedModel, msno: str, include_played: bool = False) -> Candidates:
    """The listener's stored candidates (their profile's list when they have no history)."""
    catalogue = loaded.catalogue
    members = catalogue.parts["member"]
    member = members.positions([[msno]])
    profile, city = profile_keys(members.values("city", member), members.values("bd", member))
    return catalogue.recommendations.candidates(
        int(member[0]), (int(profile[0]), int(city[0])), include_played
    )


def scored(
    loaded: LoadedModel, msno: str, candidates: Candidates, context: Mapping[str, Any]
) -> Scored:
    """The model's probability of each candidate, with the request's source context."""
    keys = loaded.catalogue.parts["song"].keys
    assert keys is not None  # the song table is keyed
    ids = [song.decode("utf-8") for song in keys.keys[candidates.songs].tolist()]
    columns = _columns(msno, ids, context)
    artist = loaded.catalogue.parts["song"].columns["artist_name"]
    assert isinstance(artist, StringColumn)
    artists = np.asarray(artist.codes[candidates.songs], dtype=np.int32)
    return Scored(ids, candidates, loaded.probabilities(columns), artists)


def recommend(
    loaded: LoadedModel,
    msno: str,
    k: int,
    context: Mapping[str, Any] | None = None,
    include_played: bool = False,
) -> list[Pick]:
    context = context or {}
    return scored(loaded, msno, candidates_of(loaded, msno, include_played), context).picks(k)


def rank_given(
    loaded: LoadedModel, msno: str, songs: Sequence[str], k: int, context: Mapping[str, Any]
) -> list[Pick]:
    """The songs a request names, best first by the model's probability alone."""
    rows = [{"msno": msno, "song_id": song, **context} for song in songs]
    probabilities = loaded.probabilities(Columns.of_records(rows))
    best = np.argsort(-probabilities, kind="stable")[:k].tolist()
    return [Pick(songs[i], float(probabilities[i]), float(probabilities[i]), SOURCES[GIVEN])
            for i in best]  # fmt: skip


def _columns(msno: str, ids: list[str], context: Mapping[str, Any]) -> Columns:
    given: dict[str, Sequence[Any]] = {"msno": [msno] * len(ids), "song_id": ids}
    for name, value in context.items():
        if value is not None:
            given[name] = [value] * len(ids)
    return Columns(len(ids), given)


def _diverse(
    order: npt.NDArray[np.intp], artists: npt.NDArray[np.int32], limit: int
) -> npt.NDArray[np.intp]:
    """``order`` with each artist's songs past the first ``limit`` moved to the end (in
    order); songs without a known artist are never held back."""
    seen: dict[int, int] = {}
    kept, held = [], []
    for position, artist in zip(order.tolist(), artists[order].tolist(), strict=True):
        count = seen.get(artist, 0)
        if artist >= 0 and count >= limit:
            held.append(position)
        else:
            seen[artist] = count + 1
            kept.append(position)
    return np.asarray(kept + held, dtype=np.intp)
