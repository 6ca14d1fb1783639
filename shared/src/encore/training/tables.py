"""The embedding tables' gradients, added up by hand.

Autograd's embedding backward allocates a zeroed gradient the size of each whole table at
every step and adds the batch's rows into it: at full scale the zero-filling and the adding
up took about 30% of a step (docs/benchmarks.md, "Full scale: faster epochs"). Here each
table keeps one gradient for good; a step adds its rows' gradients in and, once the optimiser
has stepped, sets those rows back to zero. The optimiser still steps over whole tables
(Adam's moments and weight decay reach every row, as before), so training computes what it
computed with autograd's gradients.

The gathering and scattering of table rows runs on one thread: split over two, each
operation took longer (adding a batch's rows into the song table's gradient 112 us on one
thread, 334 us on two), as the threads contend for the same rows and caches.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

import torch

from encore.model import EncoreNet
from encore.training.tensors import cpu_threads

# nn.Embedding's padding_idx: the row for missing values, which never learns.
PADDING = 0


class TableGradients:
    """Forward passes whose table gradients land in the tables' standing ``grad``."""

    def __init__(self, model: EncoreNet) -> None:
        self._model = model
        self._tables = model.table_weights()
        self._widths = list(model.embedding_dims)
        self._width = sum(self._widths)
        for weight in self._tables:
            weight.grad = torch.zeros_like(weight)
        self._pending: list[tuple[torch.Tensor, torch.Tensor]] = []
        self._touched: list[torch.Tensor] = []

    def logits(self, categorical: torch.Tensor, numeric: torch.Tensor) -> torch.Tensor:
        """The model's logits, with gradients to everything but the tables."""
        with torch.no_grad(), one_thread():
            inputs = self._model.inputs(categorical, numeric)
        inputs.requires_grad_()
        self._pending.append((categorical, inputs))
        return self._model.head(inputs)

    @torch.no_grad()
    def add_backward(self) -> None:
        """After ``backward``: adds the pending passes' rows into the tables' gradients."""
        with one_thread():
            self._add_pending()

    def _add_pending(self) -> None:
        for categorical, inputs in self._pending:
            assert inputs.grad is not None
            per_field = torch.split(inputs.grad[:, : self._width], self._widths, dim=1)
            for field, weight in enumerate(self._tables):
                assert weight.grad is not None
                weight.grad.index_add_(0, categorical[:, field], per_field[field].contiguous())
            self._touched.append(categorical)
        self._pending.clear()
        for weight in self._tables:
            assert weight.grad is not None
            weight.grad[PADDING] = 0

    @torch.no_grad()
    def clear(self) -> None:
        """After the optimiser's step: the rows written since the last clear back to zero."""
        with one_thread():
            for categorical in self._touched:
                for field, weight in enumerate(self._tables):
                    assert weight.grad is not None
                    weight.grad.index_fill_(0, categorical[:, field], 0)
        self._touched.clear()

    def release(self) -> None:
        """The end of training: the tables drop their gradients (as large as the tables)."""
        for weight in self._tables:
            weight.grad = None


def one_thread() -> AbstractContextManager[None]:
    """Torch's CPU operations inside the block use one thread."""
    return cpu_threads(1)
