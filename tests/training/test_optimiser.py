"""The optimiser: a step moves only the embedding rows its batch looked up, as Adam would."""

import torch
from torch import nn

from encore.model import ModelConfig, build_model
from encore.model.network import SPARSE_TABLE_ROWS
from encore.training.optimiser import NetworkOptimiser
from encore.training.row_adam import RowAdam

CARDINALITIES = [SPARSE_TABLE_ROWS, 30]  # one large table, one small


def test_a_step_moves_only_the_rows_of_a_large_table_that_the_batch_looked_up():
    model = build_model(ModelConfig(), CARDINALITIES, numeric_features=2)
    optimiser = NetworkOptimiser(model, ModelConfig())
    tables = [table.weight for table in model.embeddings if isinstance(table, nn.Embedding)]
    before = [table.detach().clone() for table in tables]
    categorical = torch.tensor([[3, 1], [7, 1], [3, 2]])
    logits = model(categorical, torch.randn(3, 2))
    torch.autograd.backward(nn.functional.binary_cross_entropy_with_logits(logits, torch.ones(3)))
    optimiser.step()
    large, small = (
        torch.ne(table, old).any(dim=1) for table, old in zip(tables, before, strict=True)
    )
    assert large.nonzero().flatten().tolist() == [3, 7]
    assert small[1:].all()  # weight decay moves every row of a small table but the padding


def test_rows_looked_up_at_every_step_learn_as_with_adam_and_weight_decay():
    torch.manual_seed(0)
    sparse, dense = nn.Embedding(6, 3, sparse=True), nn.Embedding(6, 3)
    dense.load_state_dict(sparse.state_dict())
    row_adam = RowAdam(sparse.parameters(), lr=0.01, weight_decay=0.1)
    adam = torch.optim.Adam(dense.parameters(), lr=0.01, weight_decay=0.1)
    for _ in range(5):
        rows = torch.tensor([0, 1, 2, 3, 4, 5, 2, 2])  # every row, one of them thrice
        target = torch.randn(len(rows), 3)
        for table, optimiser in ((sparse, row_adam), (dense, adam)):
            optimiser.zero_grad()
            torch.autograd.backward((table(rows) - target).square().sum())
            optimiser.step()
    assert torch.allclose(sparse.weight, dense.weight, atol=1e-6)


def test_both_parts_share_one_learning_rate():
    model = build_model(ModelConfig(), CARDINALITIES, numeric_features=2)
    optimiser = NetworkOptimiser(model, ModelConfig(learning_rate=0.01))
    optimiser.learning_rate = 0.001
    assert optimiser.learning_rate == 0.001
    plateau = optimiser.plateau(factor=0.1, patience=0)
    plateau.step(1.0)
    plateau.step(1.0)
    assert optimiser.learning_rate == 0.0001
