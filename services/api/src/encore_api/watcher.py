"""A background thread that keeps the predictor on the active version."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from encore_api.predictor import Predictor

log = logging.getLogger(__name__)


@dataclass
class ModelWatcher:
    predictor: Predictor
    interval: float
    _wake: threading.Event = field(default_factory=threading.Event)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="encore-models", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        """Look now rather than at the next interval (after an activation)."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(10)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.predictor.refresh()
            except Exception as exc:  # the database may be down: keep serving what we have
                log.warning("could not check the active model version: %s", exc)
            self._wake.wait(self.interval)
            self._wake.clear()
