"""Shares of training plays per source value, for each value of a key field (a listener, a song).

How a listener reaches songs (own library versus radio, say) was among the strongest signals
of the challenge's winning solution; how a song is reached says something similar about the
song. Key values are addressed by their position in the key's vocabulary, which lists every
training value (also those below min_count); a value unseen in training gets the shares of
all training plays.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from encore.features.coded import Codes, Singles

Counts = npt.NDArray[np.int64]


class ShareTable:
    def __init__(self, counts: Counts) -> None:
        """``counts[key, source_id - 1]``: training plays of a key value per source index."""
        self.counts = counts
        totals = counts.sum(axis=1, keepdims=True)
        overall = counts.sum(axis=0) / max(int(counts.sum()), 1)
        shares = counts / np.maximum(totals, 1)
        # One contiguous row per source; the last column serves values unseen in training.
        self._table = np.vstack([shares, overall]).T.astype(np.float32, order="C")

    @classmethod
    def fit(cls, keys: Codes, source_ids: Codes, n_keys: int, n_ids: int) -> ShareTable:
        """Count plays per (key position, source index); index 0 (padding) never occurs."""
        seen = keys >= 0
        flat = keys[seen].astype(np.int64) * (n_ids - 1) + (source_ids[seen] - 1)
        counts = np.bincount(flat, minlength=n_keys * (n_ids - 1))
        return cls(counts.reshape(n_keys, n_ids - 1))

    def columns(self, keys: Codes) -> Singles:
        """Every source's share for every key position (-1: unseen): one row per source."""
        shares: Singles = self._table[:, keys]
        return shares

    def to_dict(self) -> dict[str, Any]:
        """The non-zero counts only: most keys are reached from one or two sources."""
        keys, sources = np.nonzero(self.counts)
        return {
            "shape": list(self.counts.shape),
            "keys": keys.tolist(),
            "sources": sources.tolist(),
            "counts": self.counts[keys, sources].tolist(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], n_ids: int) -> ShareTable:
        n_keys, n_sources = data["shape"]
        if n_sources != n_ids - 1:
            raise ValueError(f"share table for {n_sources} sources, vocabulary has {n_ids - 1}")
        counts = np.zeros((n_keys, n_sources), dtype=np.int64)
        counts[data["keys"], data["sources"]] = data["counts"]
        return cls(counts)
