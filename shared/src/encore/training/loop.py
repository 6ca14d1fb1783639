"""The training loop: BCE on logits, Adam, ReduceLROnPlateau and early stopping on the
monitored validation figure (AUC or loss, of the averaged weights: see averaging.py), the
best epoch's weights restored at the end; and the refit, which trains a
fresh network on every row with the learning rates the selection run used, epoch by epoch.

Deterministic for a seed on CPU: the seed fixes the initial weights, dropout and the shuffle.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from encore.features import FeatureMatrix
from encore.metrics import score
from encore.model import EncoreNet, ModelConfig, build_model
from encore.training.averaging import WeightAverage
from encore.training.epochs import EpochMetrics, TrainingCancelled, TrainResult
from encore.training.stopping import EarlyStopping
from encore.training.tables import TableGradients
from encore.training.tensors import Columns, cpu_threads, device, predict_logits

# Rows per forward pass: larger batches are split, their gradients added up before the step.
CHUNK_ROWS = 65_536
EpochCallback = Callable[[EpochMetrics], None]
# Called after every optimiser step with (rows done this epoch, rows per epoch).
BatchCallback = Callable[[int, int], None]
StopCheck = Callable[[], bool]


@dataclass
class _Run:
    """Everything one training run works with."""

    config: ModelConfig
    model: EncoreNet
    optimizer: torch.optim.Adam
    train: Columns
    train_target: torch.Tensor
    valid: Columns | None
    valid_target: torch.Tensor | None
    shuffle: torch.Generator
    should_stop: StopCheck | None
    on_batch: BatchCallback | None
    average: WeightAverage | None
    tables: TableGradients

    def averaged(self) -> AbstractContextManager[None]:
        """Inside the block the model holds the averaged weights, if the run keeps any."""
        return nullcontext() if self.average is None else self.average.applied()


def fit(
    config: ModelConfig,
    cardinalities: list[int],
    train: FeatureMatrix,
    train_target: np.ndarray,
    valid: FeatureMatrix,
    valid_target: np.ndarray,
    on_epoch: EpochCallback | None = None,
    should_stop: StopCheck | None = None,
    on_batch: BatchCallback | None = None,
) -> TrainResult:
    """Train until early stopping or ``config.max_epochs``; ``on_epoch`` sees every epoch."""
    with _training_cpu():
        return _fit(
            config, cardinalities, (train, train_target), (valid, valid_target),
            on_epoch, should_stop, on_batch,
        )  # fmt: skip


@contextmanager
def _training_cpu() -> Iterator[None]:
    """Every core, and denormals flushed, for the fit only: both are process-wide settings,
    and flushed denormals break other code's floating point (hypothesis refuses to run)."""
    # Weight decay drives rarely seen embedding rows and their Adam moments towards zero;
    # denormal floats there made later epochs up to 40% slower at full scale.
    with cpu_threads(len(os.sched_getaffinity(0))):
        torch.set_flush_denormal(True)
        try:
            yield
        finally:
            torch.set_flush_denormal(False)


def _fit(
    config: ModelConfig,
    cardinalities: list[int],
    labelled_train: tuple[FeatureMatrix, np.ndarray],
    labelled_valid: tuple[FeatureMatrix, np.ndarray],
    on_epoch: EpochCallback | None,
    should_stop: StopCheck | None,
    on_batch: BatchCallback | None,
) -> TrainResult:
    run = _start(config, cardinalities, labelled_train, labelled_valid, should_stop, on_batch)
    # The schedule counts progress as early stopping does (an absolute min_improvement). With
    # the default relative threshold, gains too small for early stopping still reset the
    # schedule's patience: at full scale the run stopped before the rate was ever lowered.
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(
        run.optimizer,
        factor=config.lr_factor,
        patience=config.lr_patience,
        threshold=config.min_improvement,
        threshold_mode="abs",
    )
    stopping = EarlyStopping(config.early_stopping_patience, config.min_improvement)
    history: list[EpochMetrics] = []
    stopped_early = False
    for epoch in range(1, config.max_epochs + 1):
        boost = config.table_boost(len(run.train), epoch)
        _set_rates(run, run.optimizer.param_groups[0]["lr"], boost)
        metrics = _epoch(run, epoch)
        history.append(metrics)
        if on_epoch is not None:
            on_epoch(metrics)
        watched = metrics.valid_loss if config.monitor == "valid_loss" else -metrics.auc
        plateau.step(watched)
        with run.averaged():
            stop = stopping.update(epoch, watched, run.model)
        if stop:
            stopped_early = epoch < config.max_epochs
            break
    run.tables.release()
    run.model.load_state_dict(stopping.best_state)
    run.model.eval()
    return TrainResult(run.model, history, stopping.best_epoch, stopped_early)


def refit(
    config: ModelConfig,
    cardinalities: list[int],
    train: FeatureMatrix,
    train_target: np.ndarray,
    learning_rates: list[float],
    on_epoch: Callable[[int, int], None] | None = None,
    should_stop: StopCheck | None = None,
    on_batch: BatchCallback | None = None,
    start_from: EncoreNet | None = None,
    table_boosts: list[float] | None = None,
) -> EncoreNet:
    """A network trained on ``train`` for one epoch per learning rate, the tables at that
    epoch's ``table_boosts`` times it (1 when not given); no validation. It starts fresh,
    seeded as the selection run was, or from ``start_from`` (the selected network carried
    over to these features: warm.py). ``on_epoch(k, n)`` hears of each epoch as it starts."""
    boosts = table_boosts or [1.0] * len(learning_rates)
    with _training_cpu():
        run = _start(config, cardinalities, (train, train_target), None, should_stop, on_batch,
                     start_from)  # fmt: skip
        for epoch, (rate, boost) in enumerate(zip(learning_rates, boosts, strict=True), 1):
            if on_epoch is not None:
                on_epoch(epoch, len(learning_rates))
            _set_rates(run, rate, boost)
            _train_one_epoch(run)
        run.tables.release()
        if run.average is not None:
            run.average.apply_for_good()
        run.model.eval()
        return run.model


def _start(
    config: ModelConfig,
    cardinalities: list[int],
    labelled_train: tuple[FeatureMatrix, np.ndarray],
    labelled_valid: tuple[FeatureMatrix, np.ndarray] | None,
    should_stop: StopCheck | None,
    on_batch: BatchCallback | None,
    start_from: EncoreNet | None = None,
) -> _Run:
    train, train_target = labelled_train
    if start_from is None:
        start_from = build_model(config, cardinalities, train.numeric.shape[1])
    model = start_from.to(device())
    # The fused implementation makes the step over the big embedding tables much cheaper on CPU
    # (docs/benchmarks.md, "Training"). Two groups: the layers (whose rate epochs report), then
    # the tables, whose rate can be higher (ModelConfig.table_boost).
    groups: list[dict[str, Any]] = [
        {"params": list(model.layers.parameters())},
        {"params": model.table_weights()},
    ]
    optimizer = torch.optim.Adam(
        groups, lr=config.rate(len(train)), weight_decay=config.decay(len(train)), fused=True
    )
    return _Run(
        config=config,
        model=model,
        optimizer=optimizer,
        train=Columns.of(train),
        train_target=torch.tensor(train_target, dtype=torch.float32),
        valid=None if labelled_valid is None else Columns.of(labelled_valid[0]),
        valid_target=None
        if labelled_valid is None
        else torch.tensor(labelled_valid[1], dtype=torch.float32),
        shuffle=torch.Generator().manual_seed(config.seed),
        should_stop=should_stop,
        on_batch=on_batch,
        average=_average(model, config, len(train)),
        tables=TableGradients(model),
    )


def _set_rates(run: _Run, rate: float, table_boost: float) -> None:
    """The layers' learning rate, and the tables' at ``table_boost`` times it."""
    layers, tables = run.optimizer.param_groups
    layers["lr"], tables["lr"] = rate, rate * table_boost


def _average(model: EncoreNet, config: ModelConfig, rows: int) -> WeightAverage | None:
    if not config.weight_average:
        return None
    steps = math.ceil(rows / config.batch_rows(rows))
    return WeightAverage.per_epoch(model, config.weight_average, steps)


def _epoch(run: _Run, epoch: int) -> EpochMetrics:
    started = time.perf_counter()
    train_loss = _train_one_epoch(run)
    assert run.valid is not None and run.valid_target is not None  # a selection run validates
    with run.averaged():
        logits = predict_logits(run.model, run.valid, CHUNK_ROWS)
    valid_loss = nn.functional.binary_cross_entropy_with_logits(logits, run.valid_target)
    scores = score(run.valid_target.numpy(), torch.sigmoid(logits.double()).numpy())
    seconds = time.perf_counter() - started
    return EpochMetrics(
        epoch=epoch,
        train_loss=train_loss,
        valid_loss=float(valid_loss),
        auc=scores.auc,
        accuracy=scores.accuracy,
        precision=scores.precision,
        recall=scores.recall,
        learning_rate=float(run.optimizer.param_groups[0]["lr"]),
        seconds=seconds,
        rows_per_second=len(run.train) / seconds,
    )


def _train_one_epoch(run: _Run) -> float:
    """Mean training loss over one pass in a fresh random order."""
    run.model.train()
    order = torch.randperm(len(run.train), generator=run.shuffle)
    total, done = 0.0, 0
    for batch in torch.split(order, run.config.batch_rows(len(run.train))):
        if run.should_stop is not None and run.should_stop():
            raise TrainingCancelled("training cancelled")
        run.model.layers.zero_grad(set_to_none=True)
        total += sum(_backward(run, chunk, len(batch)) for chunk in torch.split(batch, CHUNK_ROWS))
        run.tables.add_backward()
        run.optimizer.step()
        run.tables.clear()
        if run.average is not None:
            run.average.update()
        done += len(batch)
        if run.on_batch is not None:
            run.on_batch(done, len(run.train))
    return total / len(run.train)


def _backward(run: _Run, rows: torch.Tensor, batch_rows: int) -> float:
    """Adds one chunk's share of the batch's mean-loss gradient; returns the chunk's loss sum.

    Chunking bounds memory for huge batches (the seed preset's 800,000 rows) without
    changing the gradient.
    """
    where = next(run.model.parameters()).device
    logits = run.tables.logits(*run.train.batch(rows, where))
    target = run.train_target[rows].to(where)
    loss = nn.functional.binary_cross_entropy_with_logits(logits, target, reduction="sum")
    torch.autograd.backward(loss / batch_rows)
    return float(loss.detach())
