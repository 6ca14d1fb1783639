"""The optimiser: Adam for the linear layers, row-wise Adam for the embedding tables.

A dense Adam step reads and writes every row of every table, with its two moments, and the
dense gradient of a table is as large as the table, even though a batch of 4,096 plays looks
up a few thousand of the 586,000 rows at full scale. The large tables give sparse gradients
(``SPARSE_TABLE_ROWS``) and ``RowAdam`` updates only the rows looked up, with the same weight
decay on them; the small tables learn with the linear layers.
"""

from __future__ import annotations

import torch
from torch.optim.lr_scheduler import ReduceLROnPlateau

from encore.model import EncoreNet, ModelConfig
from encore.training.row_adam import RowAdam


class NetworkOptimiser:
    """Both optimisers (the first alone when no table is large), stepped and scheduled
    together, with one learning rate."""

    def __init__(self, model: EncoreNet, config: ModelConfig) -> None:
        rate, decay = config.learning_rate, config.weight_decay
        # The fused implementation makes the dense step cheaper on CPU.
        dense = torch.optim.Adam(model.dense_weights(), lr=rate, weight_decay=decay, fused=True)
        tables = model.sparse_tables()
        self._parts: tuple[torch.optim.Optimizer, ...] = (dense,) + (
            (RowAdam(tables, lr=rate, weight_decay=decay),) if tables else ()
        )

    def zero_grad(self) -> None:
        for part in self._parts:
            part.zero_grad(set_to_none=True)

    def step(self) -> None:
        for part in self._parts:
            part.step()

    @property
    def learning_rate(self) -> float:
        return float(self._parts[0].param_groups[0]["lr"])

    @learning_rate.setter
    def learning_rate(self, rate: float) -> None:
        for part in self._parts:
            for group in part.param_groups:
                group["lr"] = rate

    def plateau(self, factor: float, patience: int) -> Plateau:
        return Plateau(
            [ReduceLROnPlateau(p, factor=factor, patience=patience) for p in self._parts]
        )


class Plateau:
    """ReduceLROnPlateau for each part: they see the same figures, so they agree."""

    def __init__(self, schedulers: list[ReduceLROnPlateau]) -> None:
        self._schedulers = schedulers

    def step(self, watched: float) -> None:
        for scheduler in self._schedulers:
            scheduler.step(watched)
