"""The network: one embedding table per categorical field, beside the numeric features, then
three linear layers ending in one logit (the sigmoid is applied by the loss and at prediction).

Large tables give sparse gradients, so that a step touches only the rows its batch looked
up, not the 586,000 rows of the song, artist, composer, lyricist and listener tables at full
scale (docs/benchmarks.md, "Full scale"); small ones are cheaper to update whole.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from encore.model.config import ModelConfig

# Tables with at least this many rows give sparse gradients (the optimiser updates the rows
# looked up); a batch of 4,096 plays touches a good share of a smaller one anyway.
SPARSE_TABLE_ROWS = 10_000


def embedding_size(vocabulary: int, upper_bound: int) -> int:
    """Grows slowly with the vocabulary (fourth root), so small fields get small vectors."""
    return max(1, min(upper_bound, round(6 * math.sqrt(math.sqrt(vocabulary)))))


class EncoreNet(nn.Module):
    """``forward(categorical (B, F) indices, numeric (B, N))`` -> logits (B,)."""

    def __init__(self, config: ModelConfig, cardinalities: list[int], numeric_features: int):
        super().__init__()
        self.embedding_dims = [embedding_size(size, config.embedding_dim) for size in cardinalities]
        self.embeddings = nn.ModuleList(
            nn.Embedding(vocabulary, dim, padding_idx=0, sparse=vocabulary >= SPARSE_TABLE_ROWS)
            for vocabulary, dim in zip(cardinalities, self.embedding_dims, strict=True)
        )
        width = numeric_features + sum(self.embedding_dims)
        first, second = config.hidden
        self.layers = nn.Sequential(
            nn.Linear(width, first),
            nn.ReLU(),
            nn.Dropout(config.dropout),
            nn.Linear(first, second),
            nn.ReLU(),
            nn.Dropout(config.dropout),
            nn.Linear(second, 1),
        )

    def forward(self, categorical: torch.Tensor, numeric: torch.Tensor) -> torch.Tensor:
        vectors = [table(categorical[:, j]) for j, table in enumerate(self.embeddings)]
        logits: torch.Tensor = self.layers(torch.cat([*vectors, numeric], dim=1))
        return logits.squeeze(1)

    def sparse_tables(self) -> list[torch.Tensor]:
        """The weights whose gradients are sparse: the large tables."""
        return [table.weight for table in self._tables() if table.sparse]

    def dense_weights(self) -> list[torch.Tensor]:
        """Every other weight: the small tables and the linear layers."""
        small: list[torch.Tensor] = [t.weight for t in self._tables() if not t.sparse]
        return [*small, *self.layers.parameters()]

    def _tables(self) -> list[nn.Embedding]:
        return [table for table in self.embeddings if isinstance(table, nn.Embedding)]


def build_model(config: ModelConfig, cardinalities: list[int], numeric_features: int) -> EncoreNet:
    """A freshly initialised network, seeded by ``config.seed``."""
    torch.manual_seed(config.seed)
    return EncoreNet(config, cardinalities, numeric_features)
