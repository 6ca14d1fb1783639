"""The records path of the processor: plain-dict lookups built once, numpy per batch.

``transform`` goes through pandas per column, about 8 ms for one row; the API needs far less.
``RowTables`` holds what the fitted processor knows as plain dicts (token -> position in
each vocabulary) and small arrays (log play counts, source shares, scales), built once on
first use. A batch is coded column by column (rowbatch.py: each distinct song and listener
once), or record by record (rowcodes.py) when it holds values the column path does not
take; then a handful of numpy operations, the same float32 operations transform does, make
the matrix the same to the bit. One record alone goes through rowone.py instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from encore.features.coded import Codes, Singles
from encore.features.counts import SourceShares
from encore.features.derive import MISSABLE_FIELDS, NUMERIC_FIELDS
from encore.features.rowbatch import Coded, code_batch, stacked
from encore.features.rowcodes import RowCoder
from encore.features.rowone import OneRow
from encore.features.scaling import Scale
from encore.features.vocab import Vocabulary

_LENGTH = NUMERIC_FIELDS.index("song_length")


class RowTables:
    """Lookups of a fitted processor's vocabularies, play counts, shares and scales."""

    def __init__(
        self,
        vocabularies: dict[str, Vocabulary],
        shares: dict[str, SourceShares],
        scales: dict[str, Scale],
        count_features: Mapping[str, str],
        share_fields: Sequence[str],
    ) -> None:
        self._sources = (vocabularies, shares, scales)
        self.positions = {name: _positions(v.tokens) for name, v in vocabularies.items()}
        self.kept = {name: v.kept for name, v in vocabularies.items()}
        self.count_fields = list(count_features.values())
        self.log_counts = {
            field: np.log1p(np.append(vocabularies[field].counts, 0).astype(np.float32))
            for field in self.count_fields
        }
        self.shares = [shares[field] for field in share_fields]
        share_names = [
            f"{field}_share={source}"
            for field in share_fields
            for source in vocabularies[field].token_names()
        ]
        # The order in which transform yields the numeric columns (_raw_numeric).
        names = [*NUMERIC_FIELDS, *count_features, *share_names]
        self.means = np.array([[scales[name].mean] for name in names], dtype=np.float32)
        self.stds = np.array([[scales[name].std] for name in names], dtype=np.float32)
        self.coder = RowCoder(self.positions, self.kept, self.count_fields)
        self.one = OneRow(self)

    def built_from(
        self,
        vocabularies: dict[str, Vocabulary],
        shares: dict[str, SourceShares],
        scales: dict[str, Scale],
    ) -> bool:
        """Whether these tables still describe the given fitted state (same objects)."""
        mine = self._sources
        return mine[0] is vocabularies and mine[1] is shares and mine[2] is scales

    def transform(self, records: Sequence[Mapping[str, Any]]) -> tuple[Codes, Singles]:
        """Categorical indices and standardised numbers, column-major as transform gives."""
        coded = code_batch(self.coder, records)
        if coded is None:  # a value of a type the column path does not take: row by row
            codes = [self.coder.code(record, row) for row, record in enumerate(records)]
            coded = stacked(codes, len(self.count_fields))
        return coded.ids, self._numeric(coded)

    def transform_one(self, record: Mapping[str, Any]) -> tuple[Codes, Singles]:
        """``transform`` of one record, with a small constant cost (rowone.py)."""
        if self.one.usable:
            return self.one.transform(record)
        return self.transform([record])

    def _numeric(self, coded: Coded) -> Singles:
        raw = self._raw(coded)
        numeric = np.empty((len(raw) + len(MISSABLE_FIELDS), len(coded.users)), dtype=np.float32)
        scaled = numeric[: len(raw)]
        # Scale.apply: float32 throughout; the missing values land on 0, the training mean.
        np.subtract(raw, self.means, out=scaled)
        np.divide(scaled, self.stds, out=scaled)
        np.copyto(scaled, 0.0, where=np.isnan(scaled))
        numeric[len(raw) :] = np.isnan(raw[: len(MISSABLE_FIELDS)])
        return numeric.T

    def _raw(self, coded: Coded) -> Singles:
        """Every numeric column before scaling, in transform's order (_raw_numeric)."""
        raw = np.empty((len(self.means), len(coded.users)), dtype=np.float32)
        floats = coded.numbers.T.copy()
        floats[_LENGTH] = np.log1p(floats[_LENGTH])  # song.log_length, after the codes
        raw[: len(NUMERIC_FIELDS)] = floats
        at = len(NUMERIC_FIELDS)
        for field, where in zip(self.count_fields, coded.counted.T, strict=True):
            raw[at] = self.log_counts[field][where]
            at += 1
        for table in self.shares:
            block = table.columns(coded.users)
            raw[at : at + len(block)] = block
            at += len(block)
        return raw


def _positions(tokens: list[str]) -> dict[str, int]:
    """Token -> position; a vocabulary's tokens are distinct (transform's index relies on it)."""
    return dict(zip(tokens, range(len(tokens)), strict=True))
