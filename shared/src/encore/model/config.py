"""The model's configuration: every training default in one place, saved with every model."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from encore.errors import EncoreError

SPLITS = ("chronological", "random")
# batch_size 0 ("auto"): about AUTO_BATCH_STEPS optimiser steps per epoch, as a power of two
# between AUTO_BATCH_MIN and AUTO_BATCH_MAX rows.
AUTO_BATCH_STEPS = 100
AUTO_BATCH_MIN = 128
AUTO_BATCH_MAX = 4096


@dataclass(frozen=True)
class ModelConfig:
    """Network shape, optimiser and stopping rules, split and feature vocabulary threshold.

    ``embedding_dim`` is an upper bound: each field gets ``min(embedding_dim, 6 * vocab**0.25)``.
    ``hidden`` sizes the first two linear layers; the third maps to one logit.
    Early stopping ends training after ``early_stopping_patience`` epochs in which the
    validation loss did not beat its best by ``min_improvement``; the learning rate is
    multiplied by ``lr_factor`` after ``lr_patience`` epochs without a new best.

    ``batch_size`` 0 means "auto" (see ``batch_rows``): about 100 optimiser steps per epoch,
    a power of two between 128 and 4,096 rows.

    Defaults (the ``default`` preset), measured with bench/bench_training.py: batches of 4,096
    with weight decay 1e-4 and dropout 0.2 reached the best validation AUC on generated data
    (larger batches or weaker decay overfit the user and song embeddings sooner), and train
    at over 100,000 rows/s on two CPU cores; "auto" gives exactly 4,096 there (400,000
    training rows and more). On small data 4,096-row batches leave too few steps per epoch:
    on the 12,000 training rows of the real KKBOX sample (3 steps an epoch) validation AUC
    was 0.756-0.797 over three seeds, with 128-row batches 0.837-0.843.
    """

    embedding_dim: int = 16
    hidden: tuple[int, int] = (128, 64)
    dropout: float = 0.2
    learning_rate: float = 3e-3
    batch_size: int = 0
    max_epochs: int = 100
    early_stopping_patience: int = 5
    min_improvement: float = 1e-4
    lr_patience: int = 3
    lr_factor: float = 0.1
    weight_decay: float = 1e-4
    split: str = "chronological"
    valid_fraction: float = 0.2
    seed: int = 0
    min_count: int = 2

    def __post_init__(self) -> None:
        for item in fields(self):
            _check(item.name, getattr(self, item.name))

    def batch_rows(self, train_rows: int) -> int:
        """Rows per optimiser step for ``train_rows`` training rows: ``batch_size`` if set,
        else about ``AUTO_BATCH_STEPS`` steps per epoch (a power of two, clamped)."""
        if self.batch_size:
            return self.batch_size
        target = max(train_rows / AUTO_BATCH_STEPS, 1.0)
        rows: int = 2 ** round(math.log2(target))
        return min(AUTO_BATCH_MAX, max(AUTO_BATCH_MIN, rows))

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: the hidden sizes become a list."""
        data = asdict(self)
        data["hidden"] = list(self.hidden)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelConfig:
        """The inverse of ``to_dict``; keys left out take their defaults."""
        unknown = sorted(set(data) - _FIELD_NAMES)
        if unknown:
            raise EncoreError(f"model config: unknown key(s) {', '.join(unknown)}")
        return cls(**_hidden_as_tuple(data))

    def with_values(self, values: dict[str, Any]) -> ModelConfig:
        """A copy with typed values (e.g. from a JSON request) applied; every one is checked."""
        unknown = sorted(set(values) - _FIELD_NAMES)
        if unknown:
            raise EncoreError(f"unknown parameter {unknown[0]!r} (known: {_known()})")
        return replace(self, **_hidden_as_tuple(values))

    def with_overrides(self, pairs: dict[str, str]) -> ModelConfig:
        """A copy with ``--set key=value`` strings applied, each parsed and checked."""
        unknown = sorted(set(pairs) - _FIELD_NAMES)
        if unknown:
            raise EncoreError(f"--set: unknown key {unknown[0]!r} (known: {_known()})")
        return replace(self, **{key: _parse(key, text) for key, text in pairs.items()})


def _hidden_as_tuple(values: dict[str, Any]) -> dict[str, Any]:
    """JSON gives the hidden sizes as a list; the dataclass holds a tuple."""
    if isinstance(values.get("hidden"), list):
        return {**values, "hidden": tuple(values["hidden"])}
    return dict(values)


def _known() -> str:
    return ", ".join(sorted(_FIELD_NAMES))


def _positive_int(value: Any) -> bool:
    return _is_int(value) and value >= 1


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# Per field: (what a valid value is, a test of it).
_RULES: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "embedding_dim": ("an integer >= 1", _positive_int),
    "hidden": (
        "two integers >= 1, e.g. 128,64",
        lambda v: isinstance(v, tuple) and len(v) == 2 and all(_positive_int(x) for x in v),
    ),
    "dropout": ("a number in [0, 1)", lambda v: _is_number(v) and 0 <= v < 1),
    "learning_rate": ("a number > 0", lambda v: _is_number(v) and v > 0),
    "batch_size": ("an integer >= 1, or 0 for auto", lambda v: _is_int(v) and v >= 0),
    "max_epochs": ("an integer >= 1", _positive_int),
    "early_stopping_patience": ("an integer >= 1", _positive_int),
    "min_improvement": ("a number >= 0", lambda v: _is_number(v) and v >= 0),
    "lr_patience": ("an integer >= 0", lambda v: _is_int(v) and v >= 0),
    "lr_factor": ("a number in (0, 1)", lambda v: _is_number(v) and 0 < v < 1),
    "weight_decay": ("a number >= 0", lambda v: _is_number(v) and v >= 0),
    "split": (f"one of {', '.join(SPLITS)}", lambda v: v in SPLITS),
    "valid_fraction": ("a number in (0, 1)", lambda v: _is_number(v) and 0 < v < 1),
    "seed": ("an integer >= 0", lambda v: _is_int(v) and v >= 0),
    "min_count": ("an integer >= 1", _positive_int),
}
_FIELD_NAMES = frozenset(_RULES)


def _check(name: str, value: Any) -> None:
    expected, is_valid = _RULES[name]
    if not is_valid(value):
        raise EncoreError(f"model config: {name} must be {expected}, got {value!r}")


def _parse(name: str, text: str) -> Any:
    """A ``--set`` value as the field's type; the range is checked when the config is built."""
    default = getattr(ModelConfig(), name)
    try:
        if isinstance(default, tuple):
            return tuple(int(part) for part in text.strip("[]()").split(","))
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
    except ValueError:
        raise EncoreError(f"--set: {name} must be {_RULES[name][0]}, got {text!r}") from None
    return text
