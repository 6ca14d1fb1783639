"""From a data folder to trained models: ingest, split, features, fit.

No database, no queue, no HTTP: the CLI, the worker and the benchmarks all call these
functions and report progress through the callbacks they pass in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from encore import split
from encore.artifacts import fingerprint, write_version
from encore.artifacts.writer import ExtraWriter
from encore.catalogue import CatalogueTables, catalogue_rows, with_unknown_rows, write_catalogue
from encore.datagen.truth import train_probabilities
from encore.features import FeatureConfig, FeatureMatrix, FeatureProcessor, Parts, Rows, gather
from encore.ingest import TRAINING_TABLES, load_dataset
from encore.metrics import auc, cold_start
from encore.model import EncoreNet, ModelConfig
from encore.schema import INPUT_SPECS, TEST
from encore.training import EpochMetrics, TrainResult, fit, predict_proba, refit
from encore.training.warm import carried_over

Stage = Callable[[str], None]
EpochHook = Callable[[EpochMetrics], None]
BatchHook = Callable[[int, int], None]
StopCheck = Callable[[], bool]
# Called as each refit epoch starts, with (epoch, epochs).
RefitHook = Callable[[int, int], None]
REFIT = "refit"


def _quiet(_: str) -> None:
    """The default stage reporter: says nothing."""


@dataclass
class Hooks:
    """What a caller wants to hear about, and how it asks a run to stop."""

    stage: Stage = _quiet
    epoch: EpochHook | None = None
    should_stop: StopCheck | None = None
    batch: BatchHook | None = None
    refit_epoch: RefitHook | None = None


@dataclass(frozen=True)
class PreparedData:
    """The training split's features, fitted once, ready for one or several fits."""

    processor: FeatureProcessor
    train: FeatureMatrix
    train_target: np.ndarray
    valid: FeatureMatrix
    valid_target: np.ndarray
    rows: dict[str, int] = field(default_factory=dict)
    catalogue: CatalogueTables | None = None
    parts: Parts | None = None  # the catalogue's coded parts, as the version stores them
    plays: Rows | None = None  # every training play, as rows of the catalogue's tables
    target: np.ndarray | None = None  # every training play's target
    valid_seen: tuple[np.ndarray, np.ndarray] | None = None  # listener, song in training?
    valid_oracle: np.ndarray | None = None  # generated data: the true replay probabilities


def prepare(data_dir: Path, config: ModelConfig, hooks: Hooks | None = None) -> PreparedData:
    """Read the files, split the plays, fit the features on the training split only and
    code every song and listener of the data set with them."""
    hooks = hooks or Hooks()
    hooks.stage("ingest")
    dataset = load_dataset(data_dir, required=TRAINING_TABLES, skip=(TEST,))
    catalogue, plays = catalogue_rows(dataset)
    target = dataset.train["target"].to_numpy(dtype=np.float32)
    del dataset
    train_at, valid_at = _split(len(plays), config)
    train, valid = plays.take(train_at), plays.take(valid_at)
    hooks.stage("features")
    processor, parts = _coded(plays.take(train_at), config)
    return PreparedData(
        processor=processor,
        train=gather(parts, train.at),
        train_target=target[train_at],
        valid=gather(parts, valid.at),
        valid_target=target[valid_at],
        rows={"train": len(train), "valid": len(valid)},
        catalogue=catalogue,
        parts=parts,
        plays=plays,
        target=target,
        valid_seen=_seen(processor, valid),
        valid_oracle=_at(train_probabilities(data_dir, len(plays)), valid_at),
    )


def fit_prepared(
    data: PreparedData, config: ModelConfig, hooks: Hooks | None = None
) -> TrainResult:
    hooks = hooks or Hooks()
    hooks.stage("training")
    return fit(
        config,
        data.processor.cardinalities,
        data.train,
        data.train_target,
        data.valid,
        data.valid_target,
        on_epoch=hooks.epoch,
        should_stop=hooks.should_stop,
        on_batch=hooks.batch,
    )


def train_version(
    data_dir: Path,
    artifacts_dir: Path,
    config: ModelConfig,
    hooks: Hooks | None = None,
    lineage: dict[str, Any] | None = None,
) -> Path:
    """Train on `data_dir` and write a new model version; returns its folder.

    `lineage` adds to what the manifest records (a job adds its id).
    """
    hooks = hooks or Hooks()
    data = prepare(data_dir, config, hooks)
    result = fit_prepared(data, config, hooks)
    if not config.refit:
        hooks.stage("registering")
        return write_trained(data_dir, artifacts_dir, data, result, config, lineage)
    selection = {**_lineage(data_dir, data, result, config), **(lineage or {})}
    plan = RefitPlan.after(result, data.processor, config, len(data.train))
    history = [epoch.as_dict() for epoch in result.history]
    assert data.plays is not None and data.target is not None  # prepare keeps them
    plays, target, catalogue = data.plays, data.target, data.catalogue
    del data, result  # the selection run's matrices: the refit needs the room
    return _refit(artifacts_dir, plays, target, catalogue, config, plan, history, selection,
                  hooks)  # fmt: skip


@dataclass(frozen=True)
class RefitPlan:
    """The refit's learning rates, one per epoch, the tables' boost over them in each epoch
    (as the selection run had them), and the network it starts from: the selection run's
    with its processor, or none (a fresh one): see ``ModelConfig.refit_start``."""

    rates: list[float]
    boosts: list[float]
    selected: tuple[EncoreNet, FeatureProcessor] | None

    @classmethod
    def after(cls, result: TrainResult, processor: FeatureProcessor, config: ModelConfig,
              train_rows: int) -> RefitPlan:  # fmt: skip
        kept = result.history[: result.best_epoch]
        if config.refit_start(train_rows) == "fresh":
            boosts = [config.table_boost(train_rows, epoch.epoch) for epoch in kept]
            return cls([epoch.learning_rate for epoch in kept], boosts, None)
        # A carried-over network is past its first epochs: no boost.
        rates = [kept[-1].learning_rate] * config.refit_epochs
        return cls(rates, [1.0] * len(rates), (result.model, processor))

    @property
    def table_rates(self) -> list[float]:
        return [rate * boost for rate, boost in zip(self.rates, self.boosts, strict=True)]


def write_trained(
    data_dir: Path,
    artifacts_dir: Path,
    data: PreparedData,
    result: TrainResult,
    config: ModelConfig,
    lineage: dict[str, Any] | None = None,
) -> Path:
    """Write one fit of `data` (prepared from `data_dir`) as a new version with its catalogue
    and lineage; returns its folder."""
    return write_version(
        artifacts_dir,
        model=result.model,
        config=config,
        processor=data.processor,
        history=[epoch.as_dict() for epoch in result.history],
        lineage={**_lineage(data_dir, data, result, config), **(lineage or {})},
        extra_files=catalogue_writer(data),
    )


def _refit(
    artifacts_dir: Path,
    plays: Rows,
    target: np.ndarray,
    catalogue: CatalogueTables | None,
    config: ModelConfig,
    plan: RefitPlan,
    history: list[dict[str, Any]],
    selection: dict[str, Any],
    hooks: Hooks,
) -> Path:
    """Fit the features on every play, train a network on them as ``plan`` says, and write
    that as the version; the manifest keeps the selection run's validation figures and says
    the weights are a refit."""
    hooks.stage(REFIT)
    processor, parts = _coded(plays, config)
    start_from = None if plan.selected is None else carried_over(*plan.selected, processor, config)
    matrix = gather(parts, plays.at)
    model = refit(config, processor.cardinalities, matrix, target, plan.rates,
                  hooks.refit_epoch, hooks.should_stop, hooks.batch, start_from,
                  plan.boosts)  # fmt: skip
    del matrix
    hooks.stage("registering")
    refitted = {"rows": len(plays), "epochs": len(plan.rates), "learning_rates": plan.rates,
                "table_learning_rates": plan.table_rates,
                "from": "fresh" if plan.selected is None else "selected"}  # fmt: skip
    return write_version(
        artifacts_dir,
        model=model,
        config=config,
        processor=processor,
        history=history,
        lineage={**selection, "refit": refitted},
        extra_files=None if catalogue is None else _writer(catalogue, parts),
    )


def _coded(plays: Rows, config: ModelConfig) -> tuple[FeatureProcessor, Parts]:
    """A processor fitted on ``plays``, and the catalogue's coded parts it gives."""
    processor = FeatureProcessor(FeatureConfig(min_count=config.min_count))
    return processor, with_unknown_rows(processor, processor.fit_parts(plays))


def _seen(processor: FeatureProcessor, plays: Rows) -> tuple[np.ndarray, np.ndarray]:
    """Per play: whether its listener, and whether its song, had a play the processor was
    fitted on."""
    users = processor.vocabularies["msno"].knows(plays.tables["member"]["msno"])
    songs = processor.vocabularies["song_id"].knows(plays.tables["song"]["song_id"])
    return users[plays.at["member"]], songs[plays.at["song"]]


def _writer(tables: CatalogueTables, parts: Parts) -> ExtraWriter:
    return lambda folder: write_catalogue(folder, tables, parts)


def catalogue_writer(data: PreparedData) -> ExtraWriter | None:
    """Writes the catalogue into a version folder (see write_version's extra_files)."""
    if data.catalogue is None or data.parts is None:
        return None
    return _writer(data.catalogue, data.parts)


def with_learning_rate(config: ModelConfig, learning_rate: float) -> ModelConfig:
    return replace(config, learning_rate=learning_rate)


def _split(rows: int, config: ModelConfig) -> tuple[split.Positions, split.Positions]:
    if config.split == "random":
        return split.random(rows, config.valid_fraction, config.seed)
    return split.chronological(rows, config.valid_fraction)


def _at(values: np.ndarray | None, at: np.ndarray) -> np.ndarray | None:
    return None if values is None else values[at]


def _input_files(data_dir: Path) -> list[Path]:
    """The files training reads (test.csv is not one of them)."""
    read = [spec.filename for spec in INPUT_SPECS if spec.table != TEST]
    return [data_dir / name for name in read if (data_dir / name).exists()]


def _lineage(
    data_dir: Path, data: PreparedData, result: TrainResult, config: ModelConfig
) -> dict[str, Any]:
    best: dict[str, Any] = {**result.history[result.best_epoch - 1].as_dict()}
    if data.valid_seen is not None:
        probability = predict_proba(result.model, data.valid)
        best["cold_start"] = cold_start(data.valid_target, probability, *data.valid_seen)
    if data.valid_oracle is not None:
        # The best any model can do on these rows: the generator's own probabilities.
        best["oracle_auc"] = auc(data.valid_target, data.valid_oracle)
    train_rows = len(data.train)
    rate = config.rate(train_rows)
    return {
        "dataset": data_dir.resolve().name,
        "data_dir": str(data_dir.resolve()),
        "data_fingerprint": fingerprint(_input_files(data_dir)),
        "rows": data.rows,
        "batch_rows": config.batch_rows(train_rows),
        "starting_learning_rate": rate,
        "starting_table_learning_rate": rate * config.table_boost(train_rows, 1),
        "applied_weight_decay": config.decay(train_rows),
        "best_epoch": result.best_epoch,
        "epochs_run": len(result.history),
        "stopped_early": result.stopped_early,
        "final_metrics": best,
    }
