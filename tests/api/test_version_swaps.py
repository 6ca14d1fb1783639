"""Activating versions in turn, ten times: the API keeps no earlier version alive."""

from __future__ import annotations

import gc
import itertools
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from encore_api.predictor import Predictor

SWAPS = 10


@pytest.fixture
def thawed_heap() -> Iterator[None]:
    """Each swap freezes the heap; later tests get it back as it was."""
    yield
    gc.unfreeze()
    gc.collect()


def test_versions_swapped_many_times_leave_nothing_of_the_earlier_ones(
    versions: list[Path], thawed_heap: None
) -> None:
    turns = itertools.cycle([(path.name, path) for path in versions])
    predictor = Predictor(lambda: next(turns))
    assert predictor.refresh()
    first = weakref.ref(predictor.current)
    kept_after = []
    for _ in range(SWAPS):
        assert predictor.refresh()
        kept_after.append(gc.get_freeze_count())
    assert first() is None
    # What each swap keeps for good (the heap it freezes) levels off: a version's objects
    # that ended in reference cycles are collected, not frozen with the rest.
    assert kept_after[-1] <= kept_after[1] * 1.02, kept_after
