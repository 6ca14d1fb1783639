import itertools
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
import torch

from encore.errors import EncoreError
from encore.metrics import score
from encore.model import ModelConfig, build_model
from encore.model.config import AUTO_RATE
from encore.training import EpochMetrics, TrainingCancelled, TrainResult, fit, predict_proba

# Small batches and a small network: the tiny set has 4,000 training rows.
FAST = ModelConfig(batch_size=256, max_epochs=4, hidden=(32, 16), embedding_dim=8)


def train(tiny: Any, config: ModelConfig = FAST, **callbacks: Any) -> TrainResult:
    return fit(
        config,
        tiny.cardinalities,
        tiny.train,
        tiny.train_target,
        tiny.valid,
        tiny.valid_target,
        **callbacks,
    )


def test_a_tiny_data_set_trains_to_a_useful_validation_auc(tiny):
    seen: list[EpochMetrics] = []
    result = train(tiny, on_epoch=seen.append)
    assert seen == result.history
    assert [m.epoch for m in result.history] == list(range(1, len(result.history) + 1))
    assert result.best.auc > 0.65
    assert result.history[-1].train_loss < result.history[0].train_loss


def test_predictions_are_probabilities_for_every_row(tiny):
    probability = predict_proba(train(tiny).model, tiny.valid, batch_size=300)
    assert probability.dtype == np.float64
    assert probability.shape == (len(tiny.valid),)
    assert ((probability > 0) & (probability < 1)).all()


def test_the_best_epochs_weights_are_restored(tiny):
    # A high learning rate makes the validation loss rise after its best epoch.
    result = train(tiny, replace(FAST, learning_rate=0.05, max_epochs=6))
    assert result.best_epoch < len(result.history)
    rescored = score(tiny.valid_target, predict_proba(result.model, tiny.valid))
    assert rescored.auc == pytest.approx(result.best.auc, abs=1e-6)
    assert rescored.log_loss == pytest.approx(result.best.valid_loss, abs=1e-4)


def test_two_runs_with_one_seed_are_identical(tiny):
    first, second = train(tiny), train(tiny)
    assert timeless(first.history) == timeless(second.history)
    weights, again = first.model.state_dict(), second.model.state_dict()
    assert all(torch.equal(weights[name], again[name]) for name in weights)


def timeless(history: list[EpochMetrics]) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in m.as_dict().items() if k not in ("seconds", "rows_per_second")}
        for m in history
    ]


@pytest.mark.parametrize("monitor", ["auc", "valid_loss"])
def test_early_stopping_ends_training_when_validation_stops_improving(tiny, monitor):
    config = replace(
        FAST, max_epochs=100, early_stopping_patience=1, min_improvement=0.5, monitor=monitor
    )
    result = train(tiny, config)
    assert result.stopped_early
    assert len(result.history) == 2
    losses = [m.valid_loss for m in result.history]
    aucs = [m.auc for m in result.history]
    best = losses.index(min(losses)) if monitor == "valid_loss" else aucs.index(max(aucs))
    assert result.best_epoch == 1 + best


def test_the_kept_epoch_is_the_best_auc_by_default_and_the_lowest_loss_on_request(tiny):
    config = replace(FAST, max_epochs=8, learning_rate=0.02, early_stopping_patience=8)
    by_auc = train(tiny, config)
    assert by_auc.best.auc == max(m.auc for m in by_auc.history)
    by_loss = train(tiny, replace(config, monitor="valid_loss"))
    assert by_loss.best.valid_loss == min(m.valid_loss for m in by_loss.history)


def test_averaged_weights_steady_the_validation_loss(tiny):
    # Large steps make the last step's weights, and so the validation loss, jump about.
    config = replace(FAST, max_epochs=8, learning_rate=0.05, early_stopping_patience=8)
    raw = train(tiny, replace(config, weight_average=0.0)).history
    averaged = train(tiny, replace(config, weight_average=0.99)).history
    assert _jumps(averaged) < _jumps(raw)


def _jumps(history: list[EpochMetrics]) -> float:
    losses = [m.valid_loss for m in history]
    return float(np.mean(np.abs(np.diff(losses))))


def test_the_learning_rate_drops_after_a_plateau(tiny):
    # A high learning rate makes the validation loss rise after its best epoch.
    config = replace(FAST, max_epochs=6, lr_patience=0, learning_rate=0.05)
    history = train(tiny, config).history
    rates = [m.learning_rate for m in history]
    assert rates[0] == pytest.approx(0.05)
    drops = [later / earlier for earlier, later in itertools.pairwise(rates) if later != earlier]
    assert drops
    assert drops == pytest.approx([0.1] * len(drops))


def test_gains_too_small_for_early_stopping_lower_the_rate_before_it_stops(tiny):
    """Early stopping and the schedule count progress alike: with gains under
    min_improvement, the rate is lowered before patience runs out, not never."""
    config = replace(FAST, max_epochs=20, min_improvement=0.05, lr_patience=1,
                     early_stopping_patience=3)  # fmt: skip
    history = train(tiny, config).history
    aucs = [m.auc for m in history]
    assert len(history) == 4, "no epoch gained 0.05, so the run stops after 1 + 3 epochs"
    assert aucs[1] > aucs[0], "the gains are real, only smaller than min_improvement"
    rates = [m.learning_rate for m in history]
    assert rates[-1] == pytest.approx(rates[0] * config.lr_factor)


def test_should_stop_cancels_between_batches(tiny):
    calls: list[int] = []

    def stop_on_third_batch():
        calls.append(1)
        return len(calls) >= 3

    with pytest.raises(TrainingCancelled) as raised:
        train(tiny, should_stop=stop_on_third_batch)
    assert isinstance(raised.value, EncoreError)
    assert len(calls) == 3


def test_batches_split_into_chunks_train_the_same(tiny, monkeypatch):
    config = replace(FAST, max_epochs=2, dropout=0.0)
    whole = train(tiny, config)
    monkeypatch.setattr("encore.training.loop.CHUNK_ROWS", 100)
    chunked = train(tiny, config)
    for one, other in zip(whole.history, chunked.history, strict=True):
        assert other.valid_loss == pytest.approx(one.valid_loss, abs=1e-5)
        assert other.auc == pytest.approx(one.auc, abs=1e-4)


def test_on_batch_reports_rows_done_through_each_epoch(tiny):
    seen: list[tuple[int, int]] = []
    one_epoch = replace(FAST, max_epochs=1)
    train(tiny, one_epoch, on_batch=lambda done, total: seen.append((done, total)))
    rows = len(tiny.train_target)
    assert seen[-1] == (rows, rows)
    assert len(seen) == -(-rows // FAST.batch_size)
    assert [done for done, _ in seen] == sorted({done for done, _ in seen})


def _table_movement(tiny: Any, config: ModelConfig) -> float:
    """How far training moved the embedding tables from their initial values, on average."""
    start = build_model(config, tiny.cardinalities, tiny.train.numeric.shape[1]).table_weights()
    trained = train(tiny, config).model.table_weights()
    moved = [float((t - s).detach().abs().mean()) for t, s in zip(trained, start, strict=True)]
    return float(np.mean(moved))


def test_long_epochs_start_the_tables_at_the_short_epoch_rate(tiny):
    # 16-row batches make 250 steps an epoch: long, so the automatic rate is lowered.
    config = replace(FAST, batch_size=16, max_epochs=1, weight_average=0)
    assert config.rate(len(tiny.train)) < AUTO_RATE * 0.7
    boosted = _table_movement(tiny, config)
    plain = _table_movement(tiny, replace(config, fast_table_epochs=0))
    assert boosted > 1.3 * plain, (boosted, plain)


def _layer_norm(tiny: Any, config: ModelConfig) -> float:
    model = train(tiny, config).model
    linear = [layer for layer in model.layers if isinstance(layer, torch.nn.Linear)]
    return float(sum(layer.weight.detach().norm() for layer in linear))


def test_long_epochs_with_the_auto_rate_decay_the_weights_less(tiny):
    # 250 steps an epoch: the automatic rate is lowered and so is the (large) decay; the same
    # rate set by hand keeps the whole decay.
    auto = replace(FAST, batch_size=16, max_epochs=1, weight_average=0, fast_table_epochs=0,
                   weight_decay=0.05)  # fmt: skip
    by_hand = replace(auto, learning_rate=auto.rate(len(tiny.train)))
    assert auto.decay(len(tiny.train)) < by_hand.decay(len(tiny.train))
    assert _layer_norm(tiny, auto) > 1.5 * _layer_norm(tiny, by_hand)  # 3.7 against 1.8
