import pytest
import torch

from encore.model.dropout import FastDropout

ROWS, WIDTH = 4096, 64


def ones() -> torch.Tensor:
    return torch.ones(ROWS, WIDTH, requires_grad=True)


@pytest.mark.parametrize("rate", [0.1, 0.2, 0.5])
def test_drops_the_given_share_and_keeps_the_expectation(rate: float):
    dropout = FastDropout(rate).train()
    out = dropout(ones()).detach()
    dropped = float((out == 0).float().mean())
    # 262,144 values: the share's standard error is under 0.001.
    assert dropped == pytest.approx(rate, abs=0.005)
    assert float(out.mean()) == pytest.approx(1.0, abs=0.01)
    assert out.unique().tolist() == [0.0, pytest.approx(1 / (1 - rate), rel=1e-4)]


def test_the_gradient_passes_only_where_the_value_was_kept():
    values = ones()
    out = FastDropout(0.2).train()(values)
    out.sum().backward()
    assert values.grad is not None
    assert torch.equal(values.grad, out.detach())


def test_evaluation_mode_and_rate_zero_are_the_identity():
    values = torch.randn(ROWS, WIDTH)
    assert FastDropout(0.2).eval()(values) is values
    assert FastDropout(0.0).train()(values) is values


def test_a_seed_fixes_the_masks_and_another_seed_changes_them():
    dropout, values = FastDropout(0.2).train(), torch.randn(ROWS, WIDTH)
    torch.manual_seed(7)
    first = dropout(values)
    torch.manual_seed(7)
    again = dropout(values)
    torch.manual_seed(8)
    other = dropout(values)
    assert torch.equal(first, again)
    assert not torch.equal(first, other)


def test_masks_differ_between_positions_of_one_draw():
    """Four values come from one 64-bit draw: their masks must not repeat a pattern."""
    out = FastDropout(0.5).train()(torch.ones(1, 4 * 100_000))
    quarters = (out.view(-1, 4) == 0).float().mean(dim=0)
    assert torch.allclose(quarters, torch.full((4,), 0.5), atol=0.01)
    assert not torch.equal(out[0, 0::4], out[0, 1::4])


@pytest.mark.parametrize("rate", [-0.1, 1.0])
def test_a_rate_outside_zero_to_one_is_refused(rate: float):
    with pytest.raises(ValueError, match="dropout"):
        FastDropout(rate)
