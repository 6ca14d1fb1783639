"""Feature matrices as torch tensors, batched by indexing: no DataLoader, no copy of the data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import torch

from encore.features import FeatureMatrix


@dataclass(frozen=True)
class Columns:
    """A feature matrix as tensors sharing its memory: a batch gathers whole rows, each
    contiguous in the row-major matrix."""

    categorical: torch.Tensor  # (n, F) int32
    numeric: torch.Tensor  # (n, N) float32

    @classmethod
    def of(cls, matrix: FeatureMatrix) -> Columns:
        return cls(
            torch.from_numpy(np.ascontiguousarray(matrix.categorical)),
            torch.from_numpy(np.ascontiguousarray(matrix.numeric)),
        )

    def __len__(self) -> int:
        return int(self.categorical.shape[0])

    def batch(self, rows: torch.Tensor | slice, device: torch.device) -> tuple[torch.Tensor, ...]:
        """(categorical (B, F) int64, numeric (B, N)) of the given rows, on ``device``."""
        categorical = self.categorical[rows].to(device=device, dtype=torch.int64)
        return categorical, self.numeric[rows].to(device)


@contextmanager
def cpu_threads(count: int) -> Iterator[None]:
    """Torch's CPU operations inside the block use ``count`` threads (a process-wide
    setting, given back after the block)."""
    before = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def predict_logits(
    model: torch.nn.Module, columns: Columns, batch_size: int = 65536
) -> torch.Tensor:
    """Logits of every row in order, in evaluation mode and without gradients."""
    model.eval()
    where = next(model.parameters()).device
    with torch.no_grad():
        parts = [
            model(*columns.batch(slice(start, start + batch_size), where)).float().cpu()
            for start in range(0, len(columns), batch_size)
        ]
    return torch.cat(parts)


def predict_proba(
    model: torch.nn.Module, matrix: FeatureMatrix, batch_size: int = 65536
) -> np.ndarray:
    """Probabilities (float64) of every row of ``matrix``."""
    logits = predict_logits(model, Columns.of(matrix), batch_size)
    return torch.sigmoid(logits.double()).numpy()
