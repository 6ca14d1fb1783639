"""An exponential moving average of the weights (Polyak averaging), updated after every
optimiser step. Validation, early stopping and the stored version all use the averaged
weights: on small data the raw weights of the last step swing the validation loss by 0.1
from epoch to epoch, which made the epoch early stopping chose, and so the model, depend
on the seed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch
from torch import nn

# The first updates use a shorter memory, so the average soon forgets the random start.
_WARMUP = 10
# Updates per epoch: each one reads every weight, as the optimiser step does, so at full
# scale (1,440 steps an epoch) updating after every step would add about half the step's cost.
UPDATES_PER_EPOCH = 100


class WeightAverage:
    """The average is updated every ``every`` optimiser steps. At update ``u`` the old average
    weighs ``min(decay, (1 + u) / (10 + u))``: at first the average spans about the last tenth
    of all updates so far, and once ``u`` passes about ``9 / (1 - decay)`` (890 updates, some 9
    epochs, for 0.99) the last ``1 / (1 - decay)`` updates."""

    def __init__(self, model: nn.Module, decay: float, every: int = 1) -> None:
        self.decay = decay
        self.every = every
        self.steps = self.updates = 0
        self._params: list[torch.Tensor] = [p for p in model.parameters() if p.requires_grad]
        self._average = [p.detach().clone() for p in self._params]

    @classmethod
    def per_epoch(cls, model: nn.Module, decay: float, steps_per_epoch: int) -> WeightAverage:
        """About ``UPDATES_PER_EPOCH`` updates an epoch, whatever the batch count."""
        return cls(model, decay, max(1, round(steps_per_epoch / UPDATES_PER_EPOCH)))

    @torch.no_grad()
    def update(self) -> None:
        """Called after every optimiser step."""
        self.steps += 1
        if self.steps % self.every:
            return
        self.updates += 1
        decay = min(self.decay, (1 + self.updates) / (_WARMUP + self.updates))
        torch._foreach_lerp_(self._average, [p.detach() for p in self._params], 1 - decay)

    @contextmanager
    def applied(self) -> Iterator[None]:
        """The model holds the averaged weights inside the block, its own weights after."""
        with torch.no_grad():
            own = [p.detach().clone() for p in self._params]
            self._copy_into_model(self._average)
        try:
            yield
        finally:
            with torch.no_grad():
                self._copy_into_model(own)

    @torch.no_grad()
    def apply_for_good(self) -> None:
        """The model keeps the averaged weights (the end of training)."""
        self._copy_into_model(self._average)

    def _copy_into_model(self, values: list[torch.Tensor]) -> None:
        torch._foreach_copy_(self._params, values)
