"""Dropout with masks cut from 64-bit random integers, 16 bits per value.

``nn.Dropout`` draws its Bernoulli mask one value at a time from torch's CPU generator: at full
scale that took about a third of a training step (docs/benchmarks.md, "Full scale: faster
epochs"). Four values per 64-bit draw cost a fraction of that. A value is kept when its 16
bits fall under ``round((1 - p) * 65536)``, so the drop rate is ``p`` to within 1/65536, and
kept values are scaled by the inverse of the exact keep rate, so the expectation is unchanged.
Seeded by torch's generator, as ``nn.Dropout`` is: a seed still fixes the masks.
"""

from __future__ import annotations

import torch
from torch import nn

_LEVELS = 1 << 16
_INT64 = torch.iinfo(torch.int64)


class FastDropout(nn.Module):
    """``nn.Dropout(p)`` in behaviour: the identity in evaluation mode, no parameters."""

    def __init__(self, p: float) -> None:
        super().__init__()
        if not 0 <= p < 1:
            raise ValueError(f"dropout must be in [0, 1), got {p}")
        self.p = p
        kept_levels = round((1 - p) * _LEVELS)
        # 16-bit draws read as signed: kept when below this threshold.
        self._threshold = kept_levels - _LEVELS // 2
        self._scale = _LEVELS / kept_levels

    def forward(self, values: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0:
            return values
        return values * self._mask(values)

    def _mask(self, values: torch.Tensor) -> torch.Tensor:
        count = values.numel()
        draws = torch.randint(_INT64.min, _INT64.max, ((count + 3) // 4,), dtype=torch.int64)
        bits = draws.view(torch.int16)[:count].view(values.shape)
        return (bits < self._threshold).to(values.dtype).mul_(self._scale)

    def extra_repr(self) -> str:
        return f"p={self.p}"
