"""The hand-added table gradients train the network exactly as autograd's own would."""

import torch
from torch import nn

from encore.model import ModelConfig, build_model
from encore.training.tables import PADDING, TableGradients, one_thread

CARDINALITIES = [500, 40, 5]
CONFIG = ModelConfig(hidden=(16, 8), embedding_dim=8, seed=3)
STEPS, ROWS = 12, 64


def batches() -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """Batches whose indices repeat rows and include the padding row."""
    generator = torch.Generator().manual_seed(0)
    made = []
    for _ in range(STEPS):
        columns = [
            torch.randint(0, size // 2, (ROWS,), generator=generator) for size in CARDINALITIES
        ]
        categorical = torch.stack(columns, 1)
        categorical[::7] = PADDING
        made.append(
            (
                categorical,
                torch.randn(ROWS, 3, generator=generator),
                torch.rand(ROWS, generator=generator),
            )
        )
    return made


def loss_of(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    return nn.functional.binary_cross_entropy_with_logits(logits, target.round())


def trained_by_autograd() -> dict[str, torch.Tensor]:
    model = build_model(CONFIG, CARDINALITIES, 3)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=1e-3)
    torch.manual_seed(1)
    for categorical, numeric, target in batches():
        optimizer.zero_grad(set_to_none=True)
        halves = zip(categorical.chunk(2), numeric.chunk(2), target.chunk(2), strict=True)
        for part in halves:  # two passes per step, as the loop's chunks do
            torch.autograd.backward(loss_of(model(*part[:2]), part[2]))
        optimizer.step()
    return model.state_dict()


def trained_with_table_gradients() -> dict[str, torch.Tensor]:
    model = build_model(CONFIG, CARDINALITIES, 3)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=1e-3)
    tables = TableGradients(model)
    torch.manual_seed(1)
    for categorical, numeric, target in batches():
        model.layers.zero_grad(set_to_none=True)
        halves = zip(categorical.chunk(2), numeric.chunk(2), target.chunk(2), strict=True)
        for part in halves:
            torch.autograd.backward(loss_of(tables.logits(*part[:2]), part[2]))
        tables.add_backward()
        optimizer.step()
        tables.clear()
    tables.release()
    assert all(weight.grad is None for weight in model.table_weights())
    return model.state_dict()


def test_the_weights_after_training_match_autograds_to_rounding():
    expected, got = trained_by_autograd(), trained_with_table_gradients()
    untrained = build_model(CONFIG, CARDINALITIES, 3).state_dict()
    for name, weights in expected.items():
        assert torch.allclose(got[name], weights, atol=1e-6), name
        assert not torch.equal(weights, untrained[name]), f"{name} never moved"
    for field in range(len(CARDINALITIES)):
        padding_row = got[f"embeddings.{field}.weight"][PADDING]
        assert torch.count_nonzero(padding_row) == 0


def test_every_table_gradient_is_zero_again_after_the_step():
    model = build_model(CONFIG, CARDINALITIES, 3)
    tables = TableGradients(model)
    categorical, numeric, target = batches()[0]
    torch.autograd.backward(loss_of(tables.logits(categorical, numeric), target))
    tables.add_backward()
    gradients = [weight.grad for weight in model.table_weights()]
    assert all(g is not None and torch.count_nonzero(g) > 0 for g in gradients)
    tables.clear()
    assert all(g is not None and torch.count_nonzero(g) == 0 for g in gradients)


def test_one_thread_gives_the_threads_back_even_when_the_block_fails():
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        with one_thread():
            assert torch.get_num_threads() == 1
        assert torch.get_num_threads() == 2
        try:
            with one_thread():
                raise RuntimeError("a failing step")
        except RuntimeError:
            pass
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
