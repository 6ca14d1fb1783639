"""Recommendation candidates, computed once when a version is written.

For every listener with training plays, a pool of ``POOL`` songs they have not played,
best first, each with a candidate score (1 for the best) and where it came from:

- co-listening (catalogue/colisten.py): songs of the listeners who play the same songs;
- artist: songs by the artists the listener plays, the more played first;
- taste: songs in the genres and languages the listener plays, the more played first;
- popularity: the most played songs, which fill the pool for listeners with little history.

The candidate score adds these up (weights in ``WEIGHTS``); a song's source is the part
that gave it most. Listeners without training plays get the most played songs of their
member profile (catalogue/profiles.py). Listeners are done a batch at a time, so memory
stays at a few dense batch x song arrays whatever the number of listeners.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp

from encore.catalogue.colisten import CoListening
from encore.catalogue.pools import POOL, POPULARITY, TASTE, Plays, Pools
from encore.catalogue.ragged import Ragged
from encore.catalogue.top import top_columns

Ints = npt.NDArray[np.int32]
Floats = npt.NDArray[np.float32]
# Per batch of listeners: pool lengths, then song columns, scores, sources one after another.
Chosen = tuple[npt.NDArray[np.int64], Ints, Floats, npt.NDArray[np.uint8]]
BATCH = 64
# Songs that can be candidates: the most played (at full generated scale, 100,000 of the
# 360,000 played songs hold 74% of the plays). Every played song still tells which
# listeners are alike.
OFFERED = 100_000


@dataclass(frozen=True)
class Weights:
    """How much each part adds to the candidate score (co-listening counts 1). Measured on
    the sample's later rows (docs/benchmarks.md): popularity from 0.1 to 0.5 within noise
    of each other, 1.0 lower; the artist and taste parts changed nothing there (9 in 10 of
    its songs have no artist) and are kept small."""

    popularity: float = 0.3
    artist: float = 0.3
    taste: float = 0.1


WEIGHTS = Weights()


def listener_pools(plays: Plays, songs: pd.DataFrame, weights: Weights = WEIGHTS) -> Pools:
    """Every listener's pool (empty for member rows without a training play)."""
    space = PlaySpace.of(plays, songs, weights)
    chosen = [space.parts.batch(np.arange(start, min(start + BATCH, len(space.active))))
              for start in range(0, len(space.active), BATCH)]  # fmt: skip
    return _by_member(plays.listeners, space.active, space.offered_songs, chosen)


@dataclass(frozen=True)
class PlaySpace:
    """The plays as a binary matrix of the listeners who played (rows, in member-row order)
    by the songs played (columns), and the candidate score's parts over the offered songs."""

    active: Ints  # per matrix row, its member row
    offered_songs: Ints  # per offered column, its song row
    parts: _Parts

    @classmethod
    def of(cls, plays: Plays, songs: pd.DataFrame, weights: Weights = WEIGHTS) -> PlaySpace:
        active, listener = np.unique(plays.listener, return_inverse=True)
        played, song = np.unique(plays.song, return_inverse=True)
        matrix = sp.csr_matrix(
            (np.ones(len(song), dtype=np.float32), (listener, song)),
            shape=(len(active), len(played)),
        )
        matrix.sum_duplicates()
        matrix.data[:] = 1.0
        offered = _most_played(matrix, OFFERED)
        parts = _Parts(matrix, offered, _content(songs, played[offered]), weights)
        return cls(active, played[offered], parts)


def _most_played(matrix: sp.csr_matrix, limit: int) -> npt.NDArray[np.intp]:
    """The columns of the ``limit`` most played songs, in column order."""
    counts = np.asarray(matrix.sum(axis=0)).ravel()
    if len(counts) <= limit:
        return np.arange(len(counts))
    return np.sort(np.argsort(-counts, kind="stable")[:limit])


class _Parts:
    """What the candidate score adds up, for batches of listeners (rows of ``matrix``), over
    the ``offered`` songs (columns of ``matrix``)."""

    def __init__(
        self,
        matrix: sp.csr_matrix,
        offered: npt.NDArray[np.intp],
        content: list[Ints],
        weights: Weights,
    ) -> None:
        self.heard = matrix[:, offered].tocsr()
        self.colistening = CoListening(matrix, offered)
        counts = np.asarray(self.heard.sum(axis=0), dtype=np.float32).ravel()
        self.popularity = counts / max(float(counts.max(initial=0.0)), 1.0)
        shares = sp.diags(1.0 / np.maximum(np.asarray(matrix.sum(axis=1)).ravel(), 1.0))
        shares = (shares @ self.heard).tocsr()
        # Per listener, the share of their plays in each artist (genre, language): a sparse
        # matrix; per offered song its artist's (...) column, the last one when it has none.
        self.content = [(_share_of_values(shares, codes), codes) for codes in content]
        self.scales = (weights.artist, weights.taste, weights.taste)
        self.weights = weights
        self.boost = np.sqrt(self.popularity)

    def terms(self, rows: npt.NDArray[np.intp]) -> list[Floats]:
        """For these listeners, per offered song: co-listening, artist, taste and popularity
        (the last unweighted, the same row for everyone)."""
        taste = self._content(rows, 1)
        taste += self._content(rows, 2)
        popularity = np.broadcast_to(self.popularity, (len(rows), len(self.popularity)))
        return [self.colistening.scores(rows), self._content(rows, 0), taste, popularity]

    def unheard(self, rows: npt.NDArray[np.intp], total: Floats) -> Floats:
        """``total`` with the songs each listener played at -inf."""
        heard = self.heard[rows]
        total[np.repeat(np.arange(len(rows)), np.diff(heard.indptr)), heard.indices] = -np.inf
        return total

    def batch(self, rows: npt.NDArray[np.intp]) -> Chosen:
        """For these listeners: their pools' lengths, and the pools' song columns, scores
        (the best 1) and sources, listener after listener."""
        terms = self.terms(rows)
        terms[3] = self.weights.popularity * terms[3]
        total = self.unheard(rows, terms[0] + terms[1] + terms[2] + terms[3])
        keep = min(POOL, total.shape[1])
        best = top_columns(total, keep)
        order = np.argsort(-np.take_along_axis(total, best, axis=1), axis=1, kind="stable")
        best = np.take_along_axis(best, order, axis=1)
        scores = np.take_along_axis(total, best, axis=1)
        stacked = np.stack([np.take_along_axis(np.asarray(term), best, axis=1) for term in terms])
        sources = np.argmax(stacked, axis=0).astype(np.uint8)
        sources[sources == 2] = TASTE
        sources[sources == 3] = POPULARITY
        return _compact(best, scores, sources)

    def _content(self, rows: npt.NDArray[np.intp], which: int) -> Floats:
        """The listeners' share of plays in each offered song's value, times the song's
        boost: the more played songs of the values they play most."""
        shares, codes = self.content[which]
        dense = shares[rows].toarray()
        gathered: Floats = dense[:, codes]
        gathered *= np.float32(self.scales[which]) * self.boost
        return gathered


def _share_of_values(shares: sp.csr_matrix, codes: Ints) -> sp.csr_matrix:
    """Listener x value shares (one more value, always 0, for songs without one)."""
    values = int(codes.max(initial=0)) + 1
    known = codes < values - 1
    one_hot = sp.csr_matrix(
        (np.ones(int(known.sum()), dtype=np.float32), (np.flatnonzero(known), codes[known])),
        shape=(len(codes), values),
    )
    return (shares @ one_hot).tocsr().astype(np.float32)


def _content(songs: pd.DataFrame, offered: Ints) -> list[Ints]:
    """Per offered song, the code of its artist, first genre and language (the largest
    code: none)."""
    table = songs.iloc[offered]
    genre = table["genre_ids"].astype("string").str.split("|").str[0]
    return [_codes(table["artist_name"]), _codes(genre), _codes(table["language"])]


def _codes(column: pd.Series) -> Ints:
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return np.where(codes >= 0, codes, len(uniques)).astype(np.int32)


def _compact(best: npt.NDArray[np.intp], scores: Floats, sources: npt.NDArray[np.uint8]) -> Chosen:
    """The batch's pools without the played songs (score -inf), each scaled to its best."""
    finite = np.isfinite(scores)
    top = np.where(finite, scores, 0).max(axis=1, initial=0)[:, None]
    scaled = np.divide(scores, top, out=np.zeros_like(scores), where=top > 0)
    lengths = finite.sum(axis=1).astype(np.int64)
    columns = best[finite].astype(np.int32)
    return lengths, columns, scaled[finite].astype(np.float32), sources[finite]


def _by_member(members: int, active: Ints, offered: Ints, chosen: list[Chosen]) -> Pools:
    """The batches' pools as one ragged array over every member row."""
    lengths = np.zeros(members, dtype=np.int64)
    if not chosen:
        nobody = Ragged.of_lengths(lengths, np.zeros(0, np.int32))
        return Pools(nobody, np.zeros(0, np.float32), np.zeros(0, np.uint8))
    lengths[active] = np.concatenate([batch[0] for batch in chosen])
    columns = np.concatenate([batch[1] for batch in chosen])
    return Pools(
        Ragged.of_lengths(lengths, offered[columns].astype(np.int32)),
        np.concatenate([batch[2] for batch in chosen]),
        np.concatenate([batch[3] for batch in chosen]),
    )
