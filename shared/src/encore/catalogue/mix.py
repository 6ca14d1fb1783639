"""The popularity term's weight in the candidate score, chosen per data set when a version is
written.

How much popularity should count beside co-listening depends on the data. On the sample's
real listening co-listening carries the signal (weights 0.1 to 0.5 did best,
docs/benchmarks.md); on generated data, whose listeners pick songs by popularity alone, nothing
beats the most played songs. So the write measures it on the training plays, one step
earlier in time: candidates from the first ``1 - LATER`` of the plays, judged by the songs
replayed in the rest by listeners of the first part (at most ``LISTENERS`` of them, drawn
with a fixed seed). A weight of ``GRID`` replaces the default only when its hit rate at 10
beats the default's by more than the default's own sampling noise (one standard error).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from encore.catalogue.candidates import BATCH, WEIGHTS, PlaySpace, Weights
from encore.catalogue.pools import Plays
from encore.catalogue.top import top_columns

GRID = (0.1, 0.3, 1.0, 3.0, 10.0)
LATER = 0.2
LISTENERS = 3_000
TOP = 10
# Fewer listeners to judge by than this, and the default stays.
MIN_LISTENERS = 50


@dataclass(frozen=True)
class Choice:
    """The weights chosen, and what the choice rested on."""

    weights: Weights
    listeners: int  # listeners judged (0: not measured)
    hit_rates: dict[float, float]  # per popularity weight of GRID, its hit rate at TOP

    def as_dict(self) -> dict[str, object]:
        return {
            "popularity_weight": self.weights.popularity,
            "listeners": self.listeners,
            "hit_rate_at_10": {str(weight): rate for weight, rate in self.hit_rates.items()},
        }


def chosen_weights(plays: Plays, songs: pd.DataFrame) -> Choice:
    """The candidate score's weights for these training plays (see the module's doc)."""
    default = Choice(WEIGHTS, 0, {})
    if plays.replayed is None:
        return default
    cut = round(len(plays.listener) * (1 - LATER))
    earlier = replace(plays, listener=plays.listener[:cut], song=plays.song[:cut], replayed=None)
    space = PlaySpace.of(earlier, songs)
    relevant = _relevant(space, plays, cut)
    listeners = len(np.unique(relevant[:, 0]))
    if listeners < MIN_LISTENERS:
        return default
    return _choice(_hits(space, relevant), listeners)


def _relevant(space: PlaySpace, plays: Plays, cut: int) -> npt.NDArray[np.int64]:
    """Pairs (matrix row, offered column), sorted by row, of the later replays by earlier
    listeners, for at most LISTENERS listeners; a replayed song that is not offered keeps its
    listener in with column -1 (it counts against every weight alike)."""
    assert plays.replayed is not None
    replayed = plays.replayed[cut:]
    rows = _positions(space.active, plays.listener[cut:][replayed])
    columns = _positions(space.offered_songs, plays.song[cut:][replayed])
    pairs = np.stack([rows, columns], axis=1)[rows >= 0]
    listeners = np.unique(pairs[:, 0])
    if len(listeners) > LISTENERS:
        drawn = np.random.default_rng(0).choice(listeners, LISTENERS, replace=False)
        pairs = pairs[np.isin(pairs[:, 0], drawn)]
    return pairs[np.argsort(pairs[:, 0], kind="stable")].astype(np.int64)


def _positions(sorted_values: npt.NDArray[np.int32], values: npt.NDArray[np.int32]
               ) -> npt.NDArray[np.int64]:  # fmt: skip
    """Each value's position in ``sorted_values``, -1 where it is not there."""
    if len(sorted_values) == 0:
        return np.full(len(values), -1, dtype=np.int64)
    at = np.searchsorted(sorted_values, values).clip(max=len(sorted_values) - 1)
    return np.where(sorted_values[at] == values, at, -1).astype(np.int64)


def _hits(space: PlaySpace, relevant: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Per weight of GRID, how many of the relevant pairs' listeners have a hit in their top."""
    listeners = np.unique(relevant[:, 0])
    hits = np.zeros(len(GRID), dtype=np.int64)
    for start in range(0, len(listeners), BATCH):
        rows = listeners[start : start + BATCH]
        first, end = np.searchsorted(relevant[:, 0], [rows[0], rows[-1] + 1])
        mine = relevant[first:end][relevant[first:end, 1] >= 0]
        wanted = np.zeros((len(rows), len(space.offered_songs)), dtype=bool)
        wanted[np.searchsorted(rows, mine[:, 0]), mine[:, 1]] = True
        terms = space.parts.terms(rows)
        base = terms[0] + terms[1] + terms[2]
        for at, weight in enumerate(GRID):
            total = space.parts.unheard(rows, base + np.float32(weight) * terms[3])
            keep = min(TOP, total.shape[1])
            top = top_columns(total, keep)
            hits[at] += int(np.take_along_axis(wanted, top, axis=1).any(axis=1).sum())
    return hits


def _choice(hits: npt.NDArray[np.int64], listeners: int) -> Choice:
    rates = {weight: round(float(h) / listeners, 4) for weight, h in zip(GRID, hits, strict=True)}
    default_hits = int(hits[GRID.index(WEIGHTS.popularity)])
    best = int(np.argmax(hits))
    if hits[best] - default_hits <= math.sqrt(max(default_hits, 1)):
        return Choice(WEIGHTS, listeners, rates)
    return Choice(replace(WEIGHTS, popularity=GRID[best]), listeners, rates)
