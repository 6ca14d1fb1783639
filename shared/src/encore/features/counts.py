"""Per-user shares of plays per source (source_type, source_system_tab), from training rows.

How a user reaches songs (own library versus radio, say) was among the strongest signals
of the challenge's winning solution. A user unseen in training gets the training-wide
shares. Users are addressed by their position in the msno vocabulary, which lists every
training user (also those below min_count).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from encore.features.coded import Codes, Singles

Counts = npt.NDArray[np.int64]


class SourceShares:
    def __init__(self, counts: Counts) -> None:
        """``counts[user, source_id - 1]``: training plays of a user per source index."""
        self.counts = counts
        totals = counts.sum(axis=1, keepdims=True)
        overall = counts.sum(axis=0) / max(int(counts.sum()), 1)
        shares = counts / np.maximum(totals, 1)
        # One contiguous row per source; the last column serves users unseen in training.
        self._table = np.vstack([shares, overall]).T.astype(np.float32, order="C")

    @classmethod
    def fit(cls, users: Codes, source_ids: Codes, n_users: int, n_ids: int) -> SourceShares:
        """Count plays per (user position, source index); index 0 (padding) never occurs."""
        seen = users >= 0
        flat = users[seen].astype(np.int64) * (n_ids - 1) + (source_ids[seen] - 1)
        counts = np.bincount(flat, minlength=n_users * (n_ids - 1))
        return cls(counts.reshape(n_users, n_ids - 1))

    def column(self, users: Codes, source: int) -> Singles:
        """Share of plays from source column ``source`` for every row's user."""
        shares: Singles = self._table[source][users]
        return shares

    def columns(self, users: Codes) -> Singles:
        """Every source's share for every row's user: one row per source, one column per play."""
        shares: Singles = self._table[:, users]
        return shares

    def to_dict(self) -> dict[str, Any]:
        return {"counts": self.counts.tolist()}

    @classmethod
    def from_dict(cls, data: dict[str, Any], n_ids: int) -> SourceShares:
        counts = np.asarray(data["counts"], dtype=np.int64).reshape(-1, n_ids - 1)
        return cls(counts)
