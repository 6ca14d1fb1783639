"""The model's configuration: every training default in one place, saved with every model."""

from __future__ import annotations

import difflib
import math
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from encore.errors import EncoreError

SPLITS = ("chronological", "random")
# What early stopping, the learning-rate schedule and the kept epoch watch.
MONITORS = ("auc", "valid_loss")
# Where the refit starts: a fresh network, or the selected one carried over to the new features.
REFIT_STARTS = ("auto", "fresh", "selected")
# batch_size 0 ("auto"): about AUTO_BATCH_STEPS optimiser steps per epoch, as a power of two
# between AUTO_BATCH_MIN and AUTO_BATCH_MAX rows.
AUTO_BATCH_STEPS = 100
AUTO_BATCH_MIN = 128
AUTO_BATCH_MAX = 4096
# Epochs of more optimiser steps than this are long (the auto batch keeps every data set up to
# about 600,000 training rows shorter): learning_rate 0 ("auto") gives AUTO_RATE for short
# epochs and AUTO_RATE * LONG_EPOCH_STEPS / steps for long ones (see ``rate``), and the refit's
# "auto" start continues the selected network after long ones (``refit_start``); the
# embedding tables keep AUTO_RATE for the first ``fast_table_epochs`` (``table_boost``).
AUTO_RATE = 5e-3
LONG_EPOCH_STEPS = 150
# With the automatic rate, long epochs also take this share of weight_decay (``decay``).
LONG_EPOCH_DECAY = 0.3


@dataclass(frozen=True)
class ModelConfig:
    """Network shape, optimiser and stopping rules, split and feature vocabulary threshold.

    ``embedding_dim`` is an upper bound: each field gets ``min(embedding_dim, 6 * vocab**0.25)``.
    ``hidden`` sizes the first two linear layers; the third maps to one logit.
    Early stopping ends training after ``early_stopping_patience`` epochs in which the
    ``monitor`` figure (validation AUC, or the loss) did not beat its best by
    ``min_improvement``; the learning rate is multiplied by ``lr_factor`` after
    ``lr_patience`` epochs without a new best. Validation and the kept weights are a moving
    average of the weights (``weight_average``).

    ``batch_size`` 0 means "auto" (see ``batch_rows``): about 100 optimiser steps per epoch,
    a power of two between 128 and 4,096 rows.

    Defaults (the ``default`` preset), measured with bench/bench_training.py: batches of 4,096
    with weight decay 1e-4 and dropout 0.2 reached the best validation AUC on generated data
    (larger batches or weaker decay overfit the user and song embeddings sooner), and train
    fastest per row on two CPU cores (docs/benchmarks.md, "Training"); "auto" gives exactly
    4,096 there (400,000 training rows and more). On small data 4,096-row batches leave too
    few steps per epoch: on the 12,000 training rows of the real KKBOX sample (3 steps an
    epoch) validation AUC was 0.756-0.797 over three seeds, with 128-row batches 0.837-0.843.
    A learning rate of 5e-3 rather than 3e-3 raised the validation AUC on the sample's first
    10,000 rows (median of five seeds 0.8089 against 0.8029) and the AUC on the rows after them
    on every seed (bench/bench_later_rows.py; docs/benchmarks.md). At full scale (1,441 steps
    an epoch) 5e-3 stalled at validation AUC 0.771 while 5e-4 reached 0.784 in 14 epochs, so
    ``learning_rate`` 0 ("auto", see ``rate``) keeps 5e-3 for short epochs and lowers it in
    proportion to the steps beyond 150. The embedding tables learn slowest there (each row
    is in few batches): with the automatic rate they keep 5e-3 for the first
    ``fast_table_epochs`` (2) epochs of a fresh network, which brought full scale to validation
    AUC 0.7842 in 11 epochs instead of 17 (``table_boost``; docs/benchmarks.md). Long
    epochs with the automatic rate also take 0.3 times ``weight_decay`` (``decay``): at full
    scale 3e-5 reached validation AUC 0.7845 after 7 epochs where 1e-4 needed 13 for 0.7843,
    which kept the whole job inside its 20 minutes on a slower machine.
    """

    embedding_dim: int = 16
    hidden: tuple[int, int] = (128, 64)
    dropout: float = 0.2
    learning_rate: float = 0.0
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
    refit: bool = True
    refit_from: str = "auto"
    refit_epochs: int = 3
    fast_table_epochs: int = 2
    weight_average: float = 0.99
    monitor: str = "auc"

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

    def rate(self, train_rows: int) -> float:
        """Adam's starting learning rate for ``train_rows`` training rows: ``learning_rate``
        if set, else ``AUTO_RATE``, lowered for long epochs."""
        if self.learning_rate:
            return self.learning_rate
        return AUTO_RATE * min(1.0, LONG_EPOCH_STEPS / self.steps(train_rows))

    def decay(self, train_rows: int) -> float:
        """Adam's L2 weight decay for ``train_rows`` training rows: ``weight_decay``, times
        ``LONG_EPOCH_DECAY`` for long epochs when the learning rate is automatic."""
        if self.learning_rate or not self.long_epochs(train_rows):
            return self.weight_decay
        return self.weight_decay * LONG_EPOCH_DECAY

    def steps(self, train_rows: int) -> int:
        """Optimiser steps in an epoch of ``train_rows`` rows."""
        return math.ceil(max(train_rows, 1) / self.batch_rows(train_rows))

    def long_epochs(self, train_rows: int) -> bool:
        """Whether an epoch of ``train_rows`` rows takes more than ``LONG_EPOCH_STEPS`` steps."""
        return self.steps(train_rows) > LONG_EPOCH_STEPS

    def table_boost(self, train_rows: int, epoch: int) -> float:
        """The embedding tables' rate over the rest's in ``epoch`` (from 1) of a fresh
        network: with the automatic rate, the tables keep ``AUTO_RATE`` for the first
        ``fast_table_epochs`` while the rest is lowered for long epochs; 1 otherwise."""
        if self.learning_rate or epoch > self.fast_table_epochs:
            return 1.0
        return AUTO_RATE / self.rate(train_rows)

    def refit_start(self, train_rows: int) -> str:
        """Where the refit starts, "fresh" or "selected": ``refit_from``, or for "auto"
        "selected" when the selection run's epochs were long, where a fresh refit would cost
        as much again as the selection run."""
        if self.refit_from != "auto":
            return self.refit_from
        return "selected" if self.long_epochs(train_rows) else "fresh"

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
            raise EncoreError(f"unknown parameter {unknown[0]!r}{_suggestion(unknown[0])}")
        return replace(self, **_hidden_as_tuple(values))

    def with_overrides(self, pairs: dict[str, str]) -> ModelConfig:
        """A copy with ``--set key=value`` strings applied, each parsed and checked."""
        unknown = sorted(set(pairs) - _FIELD_NAMES)
        if unknown:
            raise EncoreError(f"--set: unknown key {unknown[0]!r}{_suggestion(unknown[0])}")
        return replace(self, **{key: _parse(key, text) for key, text in pairs.items()})


@dataclass(frozen=True)
class Param:
    """One configuration value as users see it: what it does and which values are valid.

    ``kind`` is int, float, pair (two integers), choice (one of ``choices``) or bool; ``ge``,
    ``gt`` and ``lt`` bound a number (``ge`` also bounds each integer of a pair).
    """

    name: str
    kind: str
    about: str
    ge: float | None = None
    gt: float | None = None
    lt: float | None = None
    note: str = ""
    choices: tuple[str, ...] = ()

    @property
    def valid(self) -> str:
        """The valid values in words, e.g. "a number in [0, 1)"."""
        if self.kind == "pair":
            return f"two integers >= {self.ge:g}, e.g. 128,64"
        if self.kind == "choice":
            return f"one of {', '.join(self.choices)}"
        if self.kind == "bool":
            return "true or false"
        noun = "an integer" if self.kind == "int" else "a number"
        return noun + _bounds(self) + self.note

    def accepts(self, value: Any) -> bool:
        if self.kind == "pair":
            pair = isinstance(value, tuple) and len(value) == 2
            return pair and all(self._in_range(v) for v in value)
        if self.kind == "choice":
            return value in self.choices
        if self.kind == "bool":
            return isinstance(value, bool)
        return self._in_range(value) and (self.kind == "float" or _is_int(value))

    def _in_range(self, value: Any) -> bool:
        if not (_is_number(value) and math.isfinite(value)):
            return False
        if self.kind in ("int", "pair") and not _is_int(value):
            return False
        low_ok = (self.ge is None or value >= self.ge) and (self.gt is None or value > self.gt)
        return low_ok and (self.lt is None or value < self.lt)


def _bounds(param: Param) -> str:
    low = param.ge if param.ge is not None else param.gt
    if low is not None and param.lt is not None:
        opening = "[" if param.ge is not None else "("
        return f" in {opening}{low:g}, {param.lt:g})"
    if low is not None:
        return f" {'>=' if param.ge is not None else '>'} {low:g}"
    return ""


# Every configuration value, once: the checks, `--set`, `encore train --help` and the API's
# schema of /train's params all come from this list.
PARAMS: tuple[Param, ...] = (
    Param("embedding_dim", "int", "upper bound of each field's embedding width", ge=1),
    Param("hidden", "pair", "widths of the first two linear layers", ge=1),
    Param("dropout", "float", "dropout after each hidden layer", ge=0, lt=1),
    Param(
        "learning_rate",
        "float",
        "Adam's starting learning rate",
        ge=0,
        note=" (0: auto, 5e-3 lowered for epochs of many steps)",
    ),
    Param("batch_size", "int", "rows per optimiser step", ge=0, note=" (0: auto)"),
    Param("max_epochs", "int", "the most epochs a run takes", ge=1),
    Param(
        "early_stopping_patience",
        "int",
        "epochs without a better monitored figure before stopping",
        ge=1,
    ),
    Param("min_improvement", "float", "how much the monitored figure must improve to count", ge=0),
    Param("lr_patience", "int", "epochs without a new best before the learning rate drops", ge=0),
    Param("lr_factor", "float", "the learning rate's multiplier when it drops", gt=0, lt=1),
    Param(
        "weight_decay",
        "float",
        "Adam's L2 penalty",
        ge=0,
        note=" (with the automatic rate, 0.3 times it for epochs of many steps)",
    ),
    Param(
        "split",
        "choice",
        "how the validation rows are chosen: the latest, or at random",
        choices=SPLITS,
    ),
    Param("valid_fraction", "float", "share of train.csv held out for validation", gt=0, lt=1),
    Param("seed", "int", "random seed: initial weights, dropout, shuffle, random split", ge=0),
    Param("min_count", "int", "plays a value needs to get its own embedding row", ge=1),
    Param(
        "refit",
        "bool",
        "after the selection run, retrain the stored version on every row (features "
        "included) for the epochs and learning rates that run chose",
    ),
    Param(
        "refit_from",
        "choice",
        "where the refit starts: a fresh network trained for the selection run's epochs and "
        "learning rates, the selected network carried over to the new features and trained "
        "refit_epochs more epochs at the kept epoch's rate, or auto (fresh unless the "
        "epochs are long, as at full scale)",
        choices=REFIT_STARTS,
    ),
    Param(
        "refit_epochs",
        "int",
        "epochs the selected network trains on every row when the refit starts from it",
        ge=0,
    ),
    Param(
        "fast_table_epochs",
        "int",
        "first epochs in which the embedding tables keep the short-epoch rate (5e-3) while "
        "the automatic rate is lowered for the rest of the network (long epochs only)",
        ge=0,
    ),
    Param(
        "weight_average",
        "float",
        "the most the moving average of the weights (what validation sees and the version "
        "stores) keeps of itself at each update; early on it keeps less",
        ge=0,
        lt=1,
        note=" (0: the last step's weights)",
    ),
    Param(
        "monitor",
        "choice",
        "the validation figure that picks the kept epoch, lowers the learning rate and stops "
        "training: AUC (higher is better) or the loss",
        choices=MONITORS,
    ),
)
PARAMS_BY_NAME = {param.name: param for param in PARAMS}
_FIELD_NAMES = frozenset(PARAMS_BY_NAME)
# Names users meet elsewhere (progress lines print "lr") for the real keys.
ALIASES = {"lr": "learning_rate", "epochs": "max_epochs", "patience": "early_stopping_patience"}


def _hidden_as_tuple(values: dict[str, Any]) -> dict[str, Any]:
    """JSON gives the hidden sizes as a list; the dataclass holds a tuple."""
    if isinstance(values.get("hidden"), list):
        return {**values, "hidden": tuple(values["hidden"])}
    return dict(values)


def _suggestion(unknown: str) -> str:
    """A hint for an unknown key ("did you mean 'learning_rate'?") and the known keys."""
    close = ALIASES.get(unknown) or next(
        iter(difflib.get_close_matches(unknown, sorted(_FIELD_NAMES), n=1)), None
    )
    hint = f"; did you mean {close!r}?" if close else ""
    return f"{hint} (known: {', '.join(sorted(_FIELD_NAMES))})"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check(name: str, value: Any) -> None:
    param = PARAMS_BY_NAME[name]
    if not param.accepts(value):
        raise EncoreError(f"model config: {name} must be {param.valid}, got {value!r}")


BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def _parse(name: str, text: str) -> Any:
    """A ``--set`` value as the field's type; the range is checked when the config is built."""
    kind = PARAMS_BY_NAME[name].kind
    try:
        if kind == "pair":
            return tuple(int(part) for part in text.strip("[]()").split(","))
        if kind == "int":
            return int(text)
        if kind == "float":
            return float(text)
        if kind == "bool":
            return BOOLEANS[text.strip().lower()]
    except (ValueError, KeyError):
        valid = PARAMS_BY_NAME[name].valid
        raise EncoreError(f"--set: {name} must be {valid}, got {text!r}") from None
    return text
