"""The model that answers: loaded once, swapped atomically when another version is activated."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from encore.artifacts import LoadedModel, load_version
from encore.catalogue import Catalogue, read_catalogue
from encore.errors import EncoreError
from encore.features.rowone import OneRow
from encore.model.fast import NumpyForward, OneRowForward
from encore.scoring.records import records_frame
from encore.training import predict_proba

log = logging.getLogger(__name__)

# Up to this many rows the numpy forward pass beats torch's (10,000 rows: 19 ms against 12).
NUMPY_FORWARD_ROWS = 2_000
# A batch larger than this whose songs are mostly new (neither cached nor seen in an earlier
# such batch) goes through pandas: coding and caching 9,400 new songs took 389 ms for a
# 10,000-row batch at full scale, the frame path 271 ms; with the songs cached the row path
# takes 71 ms. Songs that come again are coded and cached.
FRAME_ROWS = 2_000
FRAME_BELOW_KNOWN = 0.5


class NoModel(EncoreError):
    """No version is active yet, or none could be loaded."""


@dataclass(frozen=True)
class Serving:
    """One loaded version: everything a prediction needs, never changed once built."""

    version: str
    loaded: LoadedModel
    catalogue: Catalogue
    fast: NumpyForward
    # The one-row path: the processor's lookups and the folded forward pass (None where the
    # scales rule the one-row lookups out).
    one: tuple[OneRow, OneRowForward] | None

    @classmethod
    def load(cls, path: Path) -> Serving:
        """Load and warm up (the first call builds the feature lookup tables)."""
        loaded = load_version(path)
        catalogue = Catalogue(read_catalogue(path))
        loaded.processor.complete_records_with(catalogue.complete)
        fast = NumpyForward(loaded.model)
        rows = loaded.processor.one_row()
        one = None if rows is None else (rows, OneRowForward(fast, rows.means, rows.stds))
        serving = cls(loaded.version, loaded, catalogue, fast, one)
        serving.probability({"msno": "warm-up", "song_id": "warm-up"})
        return serving

    def probability(self, row: dict[str, Any]) -> float:
        """``probabilities`` of one row, with the least work per call (for /predict/one)."""
        if self.one is None:
            return self.probabilities([row])[0]
        features, forward = self.one
        return forward.probability(*features.raw(row))

    def probabilities(self, rows: list[dict[str, Any]]) -> list[float]:
        processor = self.loaded.processor
        if len(rows) > FRAME_ROWS and processor.known_share(rows) < FRAME_BELOW_KNOWN:
            filled = [self.catalogue.complete(row) for row in rows]
            features = processor.transform(records_frame(filled))
            processor.note_songs(rows)  # if they come again, code and keep them
        else:  # transform_records fills in what rows leave out from the catalogue (see load)
            features = processor.transform_records(rows)
        if len(rows) <= NUMPY_FORWARD_ROWS:
            return self.fast.probabilities(features)
        probabilities: list[float] = predict_proba(self.loaded.model, features).tolist()
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
    """Keep the long-lived objects (the catalogue's millions) out of every later collection.

    Without this, each full collection walks them all: tens of milliseconds that land on
    whichever request triggered it. Objects freed later (an older version) are still
    released by reference counting.
    """
    gc.collect()
    gc.freeze()
    _return_free_memory()


def _return_free_memory() -> None:
    """Hand the freed pages of the previous version back to the system (glibc keeps them
    otherwise: at full scale the process grew by 15-40 MB with every swap)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
