"""Coded parts of many songs (or members) at once, through ``derive``: for a batch whose songs
are new to the row-code caches.

RowCoder derives one part in Python, about 40 µs for a song (most of it in its text fields).
For hundreds of new songs at once, ``derive`` over a frame of their completed records costs
about 10 µs a record after a fixed 12 ms, and it is the code ``transform`` runs, so the parts
are the same to the bit: the numbers derive rounds to float32 are rounded to float32 again,
unchanged, when the matrix is built.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from encore.features.coded import Coded, Codes, Floats
from encore.features.derive import NUMERIC_FIELDS, derive
from encore.features.vocab import MISSING, ids_at

if TYPE_CHECKING:
    from encore.features.rowcodes import CodedPart, Lookup

# Fewer new parts than this are derived one by one (derive's fixed cost is about 12 ms).
BATCH_DERIVE_PARTS = 300
SONG_NUMBERS_TAIL = NUMERIC_FIELDS[6:]
MEMBER_NUMBERS = NUMERIC_FIELDS[2:6]


def derived_parts(
    records: Sequence[Mapping[str, Any]],
    fields: tuple[str, ...],
    lookups: list[Lookup],
    member: bool,
    head: int,
) -> list[CodedPart]:
    """The song parts (or member parts) of completed ``records``, one per record; ``fields``
    are the part's categorical fields with their ``lookups``, the first ``head`` of them its
    head ids (rowcodes.CodedPart)."""
    from encore.scoring.records import records_frame  # encore.scoring imports this package

    frame = records_frame(records)
    derived = derive(frame)
    pairs = zip(fields, lookups, strict=True)
    coded = [_coded(derived.categorical[name], lookup) for name, lookup in pairs]
    ids = np.stack([pair[0] for pair in coded], axis=1)
    positions = np.stack([pair[1] for pair in coded], axis=1)
    numeric = derived.numeric
    if member:
        numbers_head: Floats = np.stack([numeric[name] for name in MEMBER_NUMBERS], axis=1)
        numbers_tail: Floats = np.empty((len(frame), 0))
    else:
        length = frame["song_length"].to_numpy(dtype=np.float64)
        raw_length = np.where(length > 0, length, np.nan)  # as rowfields.song_part keeps it
        numbers_head = np.stack([raw_length, numeric["song_year"]], axis=1)
        numbers_tail = np.stack([numeric[name] for name in SONG_NUMBERS_TAIL], axis=1)
    numbers = numbers_head.astype(np.float64), numbers_tail.astype(np.float64)
    return _parts(ids, positions, *numbers, head)


def _coded(field: Coded, lookup: Lookup) -> tuple[Codes, Codes]:
    """Each row's id and position, as rowcodes._ids and _positions give them."""
    table, kept = lookup
    at = np.array([table.get(token, -1) for token in field.values], dtype=np.int32)
    return field.per_row(ids_at(at, kept), MISSING), field.per_row(at, -1)


def _parts(
    ids: Codes,
    positions: Codes,
    numbers_head: Floats,
    numbers_tail: Floats,
    head: int,
) -> list[CodedPart]:
    from encore.features.rowcodes import CodedPart

    packed: npt.NDArray[np.float64] = np.hstack([ids, positions, numbers_head, numbers_tail])
    rows = zip(
        ids.tolist(), positions.tolist(), numbers_head.tolist(), numbers_tail.tolist(),
        packed, strict=True,
    )  # fmt: skip
    return [
        CodedPart(row_ids[:head], row_ids[head:], row_positions, row_head, row_tail, row.tobytes())
        for row_ids, row_positions, row_head, row_tail, row in rows
    ]
