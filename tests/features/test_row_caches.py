"""The row-code caches: bounded, and what is used again stays (least recently used goes)."""

from __future__ import annotations

import sys
import threading
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


def test_threads_coding_batches_side_by_side_share_the_caches_safely(
    tiny: tuple[FeatureProcessor, pd.DataFrame],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The API codes batches in worker threads and single rows on the event loop, all on the
    same caches: a part dropped by one thread right after another read it must not fail the
    other, and every answer stays the one a lone thread gives."""
    monkeypatch.setattr(rowcodes, "CACHE_LIMIT", 3)
    processor = FeatureProcessor.from_json(tiny[0].to_json())
    rows = [{"msno": f"listener {n % 5}", "song_id": f"song {n % 7}"} for n in range(40)]
    expected = processor.transform_records(rows).numeric.tolist()
    failures: list[BaseException] = []

    def work(seed: int) -> None:
        try:
            for turn in range(500):
                batch = rows[(seed + turn) % 7 :][:9]
                got = processor.transform_records(batch).numeric.tolist()
                start = (seed + turn) % 7
                assert got == expected[start : start + len(batch)]
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(4)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show up
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []
