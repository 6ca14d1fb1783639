"""Training progress for people: a live bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from encore.training import EpochMetrics

BAR_WIDTH = 24


class ConsoleProgress:
    """Reports stages and epochs to `stream` (stderr by default, so stdout stays for results)."""

    def __init__(self, max_epochs: int, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.max_epochs = max_epochs
        self.started = time.monotonic()
        self.live = self.stream.isatty()

    def stage(self, name: str) -> None:
        self._line(f"{name}")

    def batch(self, rows_done: int, rows_total: int) -> None:
        if not self.live or rows_total <= 0:
            return
        filled = BAR_WIDTH * rows_done // rows_total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stream.write(f"\r  [{bar}] {rows_done:,}/{rows_total:,} rows")
        self.stream.flush()

    def epoch(self, m: EpochMetrics) -> None:
        if self.live:
            self.stream.write("\r\033[K")
        self._line(
            f"epoch {m.epoch}/{self.max_epochs}  train loss {m.train_loss:.4f}  "
            f"valid loss {m.valid_loss:.4f}  AUC {m.auc:.4f}  accuracy {m.accuracy:.4f}  "
            f"precision {m.precision:.4f}  recall {m.recall:.4f}  lr {m.learning_rate:.0e}  "
            f"{m.rows_per_second:,.0f} rows/s"
        )

    def refit_epoch(self, epoch: int, epochs: int) -> None:
        if self.live:
            self.stream.write("\r\033[K")
        self._line(f"refit on every row: epoch {epoch}/{epochs}")

    def _line(self, text: str) -> None:
        elapsed = time.monotonic() - self.started
        print(f"[{elapsed:7.1f}s] {text}", file=self.stream, flush=True)
