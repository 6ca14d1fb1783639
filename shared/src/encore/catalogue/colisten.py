"""Co-listening: songs played by the listeners who play the same songs.

A two-step walk over the listener x song matrix of the training plays: from a listener to
the listeners who share songs with them (cosine similarity, each shared song weighted by its
rarity, so that two listeners of the same obscure song count for more than two listeners of
the same hit), keeping the ``NEIGHBOURS`` most similar, then to their songs. This is
item-to-item similarity summed over a listener's songs, with the middle step cut to the
nearest listeners: the full song x song product (every pair of songs sharing a listener)
grows with the square of the heaviest listeners' histories and does not fit at full scale,
while this costs a few hundred operations per play.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

Floats = npt.NDArray[np.float32]
# Listeners kept per listener in the middle step (measured: 50 to 200 gave the same hit rate
# on the sample's later rows; fewer is cheaper).
NEIGHBOURS = 100
# Similarities are squared so that the closest listeners count for more than many distant
# ones.
SHARPEN = 2.0


class CoListening:
    """Scores of songs for listeners, from a binary listener x song matrix of plays: every
    song tells which listeners are alike, the ``offered`` columns are the songs scored."""

    def __init__(self, plays: sp.csr_matrix, offered: npt.NDArray[np.intp]) -> None:
        self.plays = plays[:, offered].tocsr()
        counts = np.asarray(plays.sum(axis=0), dtype=np.float64).ravel()
        rarity = np.log1p(plays.shape[0] / np.maximum(counts, 1.0))
        weighted = plays @ sp.diags(rarity.astype(np.float32))
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        self.unit = (sp.diags(1.0 / np.maximum(norms, 1e-12)) @ weighted).tocsr().astype(np.float32)
        self.unit_t = self.unit.T.tocsr()

    def scores(self, listeners: npt.NDArray[np.intp]) -> Floats:
        """Dense scores (one row per listener, one column per song), each row scaled to a
        maximum of 1 (all zeros for a listener who shares no song with anyone)."""
        similar = (self.unit[listeners] @ self.unit_t).tocsr()
        similar = _nearest(_without_self(similar, listeners), NEIGHBOURS)
        similar.data **= SHARPEN
        dense: Floats = (similar @ self.plays).toarray()
        return _scaled_rows(dense)


def _without_self(similar: sp.csr_matrix, listeners: npt.NDArray[np.intp]) -> sp.csr_matrix:
    rows = np.repeat(np.arange(similar.shape[0]), np.diff(similar.indptr))
    similar.data[similar.indices == listeners[rows]] = 0
    similar.eliminate_zeros()
    return similar


def _nearest(similar: sp.csr_matrix, keep: int) -> sp.csr_matrix:
    """Each row's ``keep`` largest entries, the rest dropped."""
    for row in range(similar.shape[0]):
        start, end = similar.indptr[row], similar.indptr[row + 1]
        if end - start > keep:
            values = similar.data[start:end]
            cut = np.partition(values, end - start - keep)[end - start - keep]
            values[values < cut] = 0
    similar.eliminate_zeros()
    return similar


def _scaled_rows(dense: Floats) -> Floats:
    top = dense.max(axis=1, keepdims=True)
    np.divide(dense, top, out=dense, where=top > 0)
    return dense
