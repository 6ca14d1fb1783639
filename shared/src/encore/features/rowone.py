"""The one-row path of the processor: the API's /predict/one, a few microseconds per call.

``RowTables.transform`` pays a constant cost per call in building numpy arrays from nested
lists and in a dozen numpy calls, most of a one-row call. ``OneRow`` takes the record's codes
(rowcodes.py), lays the numbers out as one flat list in plain Python and then makes two numpy
calls (float32 subtract and divide), so the result is the same to the bit:

- a missing number enters as its column's float32 mean, so ``(mean - mean) / std`` is the
  +0.0 that transform writes there (only when every mean and deviation is finite and every
  deviation non-zero, which ``usable`` says; else the caller takes the batch path);
- the 0/1 missing indicators go through the same subtract and divide with mean 0 and
  deviation 1, which leaves them as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from encore.features.coded import Codes, Singles
from encore.features.derive import MISSABLE_FIELDS, NUMERIC_FIELDS
from encore.features.rowfields import log_length

if TYPE_CHECKING:
    from encore.features.rowtables import RowTables

_LENGTH = NUMERIC_FIELDS.index("song_length")
_MISSABLE = len(MISSABLE_FIELDS)


class OneRow:
    """A fitted processor's lookups laid out for one row: one tuple entry per field."""

    def __init__(self, tables: RowTables) -> None:
        self.coder = tables.coder
        self.count_logs = [tables.log_counts[field] for field in tables.count_fields]
        # Each user's shares of every source, one row per user; the last row serves unseen users.
        everyone = np.arange(len(tables.positions["msno"]) + 1, dtype=np.int32)
        self.share_rows = np.vstack([table.columns(everyone) for table in tables.shares]).T
        self.user_shares: dict[int, list[float]] = {}
        means, stds = tables.means.ravel(), tables.stds.ravel()
        self.usable = bool(np.isfinite(means).all() and np.isfinite(stds).all() and stds.all())
        self.fills = [float(mean) for mean in means[:_MISSABLE]]
        # The indicators after the scaled columns: (flag - 0) / 1 is the flag.
        self.means = np.concatenate([means, np.zeros(_MISSABLE, np.float32)])
        self.stds = np.concatenate([stds, np.ones(_MISSABLE, np.float32)])

    def transform(self, record: Mapping[str, Any]) -> tuple[Codes, Singles]:
        """One row's categorical indices and standardised numbers, shaped (1, columns)."""
        ids, values = self.raw(record)
        numeric = np.fromiter(values, np.float32)
        np.subtract(numeric, self.means, out=numeric)
        np.divide(numeric, self.stds, out=numeric)
        return np.array(ids, dtype=np.int32).reshape(1, -1), numeric.reshape(1, -1)

    def raw(self, record: Mapping[str, Any]) -> tuple[list[int], list[float]]:
        """The categorical indices and the numbers before scaling (a missing number is its
        column's mean; the indicators last), for a scorer that scales them (OneRowForward)."""
        code = self.coder.code(record, 0)
        head = code.numbers[:_MISSABLE]
        head[_LENGTH] = log_length(head[_LENGTH])
        fills = zip(head, self.fills, strict=True)
        values = [fill if value != value else value for value, fill in fills]
        values += code.numbers[_MISSABLE:]
        values += [logs.item(at) for logs, at in zip(self.count_logs, code.counted, strict=True)]
        values += self._shares(code.user)
        values += [1.0 if value != value else 0.0 for value in head]
        return code.ids, values

    def _shares(self, user: int) -> list[float]:
        """The user's share columns as floats (exact: float32 to float), cached per user."""
        shares = self.user_shares.get(user)
        if shares is None:
            shares = self.user_shares[user] = self.share_rows[user].tolist()
        return shares
