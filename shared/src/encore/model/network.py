"""The network: one embedding table per categorical field, beside the numeric features, then
three linear layers ending in one logit (the sigmoid is applied by the loss and at prediction).
"""

from __future__ import annotations

import math
from typing import cast

import torch
from torch import nn

from encore.model.config import ModelConfig
from encore.model.dropout import FastDropout


def embedding_size(vocabulary: int, upper_bound: int) -> int:
    """Grows slowly with the vocabulary (fourth root), so small fields get small vectors."""
    return max(1, min(upper_bound, round(6 * math.sqrt(math.sqrt(vocabulary)))))


class EncoreNet(nn.Module):
    """``forward(categorical (B, F) indices, numeric (B, N))`` -> logits (B,)."""

    def __init__(self, config: ModelConfig, cardinalities: list[int], numeric_features: int):
        super().__init__()
        self.embedding_dims = [embedding_size(size, config.embedding_dim) for size in cardinalities]
        self.embeddings = nn.ModuleList(
            nn.Embedding(vocabulary, dim, padding_idx=0)
            for vocabulary, dim in zip(cardinalities, self.embedding_dims, strict=True)
        )
        width = numeric_features + sum(self.embedding_dims)
        first, second = config.hidden
        self.layers = nn.Sequential(
            nn.Linear(width, first),
            nn.ReLU(),
            FastDropout(config.dropout),
            nn.Linear(first, second),
            nn.ReLU(),
            FastDropout(config.dropout),
            nn.Linear(second, 1),
        )

    def table_weights(self) -> list[torch.Tensor]:
        """Each field's embedding table, in field order."""
        return [cast(nn.Embedding, table).weight for table in self.embeddings]

    def forward(self, categorical: torch.Tensor, numeric: torch.Tensor) -> torch.Tensor:
        return self.head(self.inputs(categorical, numeric))

    def inputs(self, categorical: torch.Tensor, numeric: torch.Tensor) -> torch.Tensor:
        """The first layer's input (B, width): each field's vector, then the numeric features."""
        vectors = [table(categorical[:, j]) for j, table in enumerate(self.embeddings)]
        return torch.cat([*vectors, numeric], dim=1)

    def head(self, inputs: torch.Tensor) -> torch.Tensor:
        """Logits (B,) from the first layer's input."""
        logits: torch.Tensor = self.layers(inputs)
        return logits.squeeze(1)


def build_model(config: ModelConfig, cardinalities: list[int], numeric_features: int) -> EncoreNet:
    """A freshly initialised network, seeded by ``config.seed``."""
    torch.manual_seed(config.seed)
    return EncoreNet(config, cardinalities, numeric_features)
