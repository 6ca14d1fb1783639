"""The row-code caches: bounded, and what is used again stays (least recently used goes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import pytest
from test_fast_rows import tiny  # noqa: F401

from encore.features import FeatureProcessor, rowcodes

LIMIT = 8


@pytest.mark.parametrize("batch", [True, False], ids=["batches", "one row at a time"])
def test_a_song_used_again_and_again_is_completed_once_while_others_come_and_go(
    tiny: tuple[FeatureProcessor, pd.DataFrame],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    batch: bool,
) -> None:
    monkeypatch.setattr(rowcodes, "CACHE_LIMIT", LIMIT)
    processor = FeatureProcessor.from_json(tiny[0].to_json())
    completed: list[str] = []

    def complete(record: Mapping[str, Any]) -> dict[str, Any]:
        completed.append(record["song_id"])
        return dict(record)

    processor.complete_records_with(complete)
    favourite = {"msno": "fan", "song_id": "favourite"}
    for number in range(5 * LIMIT):
        other = {"msno": f"listener {number}", "song_id": f"song {number}"}
        if batch:
            processor.transform_records([favourite, other])
        else:
            processor.transform_records([favourite])
            processor.transform_records([other])
    assert completed.count("favourite") == 2  # its song part and its listener's, once each
    assert completed.count("song 0") == 2
    processor.transform_records([{"msno": "listener 0", "song_id": "song 0"}])
    assert completed.count("song 0") == 4  # long since dropped: completed again
    coder = processor._tables().coder
    assert len(coder._songs) <= LIMIT and len(coder._members) <= LIMIT
