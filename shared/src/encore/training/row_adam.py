"""Adam for embedding tables with sparse gradients, updating only the rows a batch looked up.

Each looked-up row gets exactly the step Adam with (L2) weight decay gives it; rows the batch
did not use, and their moments, are left as they are ("lazy" Adam). torch's SparseAdam does
the same without weight decay, but its many small sparse operations per table cost more than
the dense step they replace at full scale (docs/benchmarks.md, "Full scale").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch


class RowAdam(torch.optim.Optimizer):
    """``params`` must get sparse gradients (``nn.Embedding(sparse=True)``)."""

    def __init__(
        self,
        params: Iterable[torch.Tensor],
        lr: float,
        weight_decay: float = 0.0,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        defaults = {"lr": lr, "weight_decay": weight_decay, "betas": betas, "eps": eps}
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure: None = None) -> None:  # type: ignore[override]
        for group in self.param_groups:
            for table in group["params"]:
                if table.grad is not None:
                    self._update(table, table.grad, group)

    def _update(self, table: torch.Tensor, gradient: torch.Tensor, group: dict[str, Any]) -> None:
        state = self.state[table]
        if not state:
            state.update(step=0, m=torch.zeros_like(table), v=torch.zeros_like(table))
        state["step"] += 1
        (beta1, beta2), step = group["betas"], state["step"]
        rows, grad = _summed_rows(gradient)
        weights = table.index_select(0, rows)
        grad.add_(weights, alpha=group["weight_decay"])
        m = state["m"].index_select(0, rows).mul_(beta1).add_(grad, alpha=1 - beta1)
        v = state["v"].index_select(0, rows).mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        state["m"].index_copy_(0, rows, m)
        state["v"].index_copy_(0, rows, v)
        denominator = v.div_(1 - beta2**step).sqrt_().add_(group["eps"])
        weights.addcdiv_(m, denominator, value=-group["lr"] / (1 - beta1**step))
        table.index_copy_(0, rows, weights)


def _summed_rows(grad: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The distinct rows of a sparse gradient and each one's summed gradient (a batch that
    looks a row up twice gives it two entries)."""
    rows, where = torch.unique(grad._indices()[0], return_inverse=True)
    summed = torch.zeros(len(rows), grad.shape[1], dtype=grad.dtype, device=grad.device)
    return rows, summed.index_add_(0, where, grad._values())
