"""Named configurations: ours, and the original report's for comparison."""

from __future__ import annotations

from encore.model.config import ModelConfig

PRESETS: dict[str, ModelConfig] = {
    # Ours: tuned on generated data for validation AUC and for CPU speed (bench/bench_training.py).
    "default": ModelConfig(),
    # The report's settings: one huge batch, lr 1e-2, stop after 10 epochs without a 0.01
    # improvement, narrow 32-16-1 layers, no dropout, weight decay or weight averaging.
    "seed": ModelConfig(
        hidden=(32, 16),
        dropout=0.0,
        weight_decay=0.0,
        learning_rate=1e-2,
        batch_size=800_000,
        early_stopping_patience=10,
        min_improvement=0.01,
        weight_average=0.0,
        monitor="valid_loss",
    ),
}
