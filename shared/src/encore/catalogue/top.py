"""The largest values of each row, for the candidate build.

numpy's ``argpartition`` took more than a third of a full-scale build (64 listeners x 100,000
offered songs a batch, many of them tied at zero or -inf); torch's ``topk`` finds the same
number of columns several times faster (docs/benchmarks.md, "Building the candidates").
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import torch


def top_columns(values: npt.NDArray[np.float32], keep: int) -> npt.NDArray[np.int64]:
    """Per row of ``values``, the columns of its ``keep`` largest values, in no set order
    (ties at the boundary are broken the same way on every run)."""
    _, columns = torch.topk(torch.from_numpy(values), keep, dim=1, sorted=False)
    result: npt.NDArray[np.int64] = columns.numpy()
    return result
