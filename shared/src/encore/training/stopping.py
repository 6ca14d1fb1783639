"""Early stopping on a validation figure where lower is better (the loss, or minus the AUC),
keeping the best epoch's weights."""

from __future__ import annotations

import copy

import torch


class EarlyStopping:
    """Stops after ``patience`` epochs in which the loss did not beat its reference by
    ``min_improvement``; remembers the weights of the lowest loss seen, however small the gain.
    """

    def __init__(self, patience: int, min_improvement: float) -> None:
        self.patience = patience
        self.min_improvement = min_improvement
        self.reference = float("inf")
        self.best_loss = float("inf")
        self.best_epoch = 0
        self.best_state: dict[str, torch.Tensor] = {}
        self.stale_epochs = 0

    def update(self, epoch: int, loss: float, model: torch.nn.Module) -> bool:
        """Record one epoch's figure; True when training should stop."""
        if loss < self.best_loss:
            self.best_loss, self.best_epoch = loss, epoch
            self.best_state = copy.deepcopy(model.state_dict())
        if loss < self.reference - self.min_improvement:
            self.reference, self.stale_epochs = loss, 0
        else:
            self.stale_epochs += 1
        return self.stale_epochs >= self.patience
