"""The model that answers: loaded once, swapped atomically when another version is activated."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from encore.artifacts import LoadedModel, load_version
from encore.catalogue import Catalogue, Columns
from encore.errors import EncoreError

log = logging.getLogger(__name__)


class NoModel(EncoreError):
    """No version is active yet, or none could be loaded."""


@dataclass(frozen=True)
class Serving:
    """One loaded version: everything a prediction needs, never changed once built."""

    loaded: LoadedModel

    @property
    def version(self) -> str:
        return self.loaded.version

    @property
    def catalogue(self) -> Catalogue:
        return self.loaded.catalogue

    @classmethod
    def load(cls, path: Path) -> Serving:
        """Load the version and score one row, so the first request pays no first-call cost."""
        serving = cls(load_version(path))
        serving.probabilities([{"msno": "warm-up", "song_id": "warm-up"}])
        return serving

    def probabilities(self, rows: Sequence[Mapping[str, Any]]) -> list[float]:
        """The probability of a replay for each row (its inputs by name), in order."""
        probabilities: list[float] = self.loaded.probabilities(Columns.of_records(rows)).tolist()
        return probabilities


class Predictor:
    """Holds the serving version; `refresh` loads the active one if it changed.

    A request reads `current` once and uses that object throughout, so a swap never mixes
    two versions in one answer. A version that fails to load is skipped (and logged) until
    another version is activated; the current one keeps serving.
    """

    def __init__(self, active_version: Callable[[], tuple[str, Path] | None]) -> None:
        self._active_version = active_version
        self._current: Serving | None = None
        self._refused: str | None = None
        self._lock = threading.Lock()

    @property
    def current(self) -> Serving:
        serving = self._current
        if serving is None:
            raise NoModel("no model version is active yet: train one with POST /train")
        return serving

    @property
    def version(self) -> str | None:
        serving = self._current
        return serving.version if serving else None

    def refresh(self) -> bool:
        """Load the active version if it is not the one serving; True if it swapped."""
        with self._lock:
            active = self._active_version()
            if active is None or active[0] in (self.version, self._refused):
                return False
            return self._swap(*active)

    def _swap(self, version: str, path: Path) -> bool:
        try:
            serving = Serving.load(path)
        except (EncoreError, OSError, ValueError) as exc:
            self._refused = version
            log.error("model %s refused, still serving %s: %s", version, self.version, exc)
            return False
        self._current = serving
        self._refused = None
        _settle_heap()
        log.info("now serving model %s", version)
        return True


def _settle_heap() -> None:
    """Keep the long-lived objects (the vocabularies' hundreds of thousands of tokens) out of
    every later collection: otherwise each full collection walks them all, on whichever
    request triggered it. The objects frozen at the previous swap are thawed first, so that
    what the previous version leaves in reference cycles is collected, not kept for good.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    _return_free_memory()


def _return_free_memory() -> None:
    """Hand the freed pages of the previous version back to the system (glibc keeps them
    otherwise, and the process grows with every swap)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
