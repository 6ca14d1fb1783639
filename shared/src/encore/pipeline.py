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
from encore.features import FeatureConfig, FeatureMatrix, FeatureProcessor, Parts, gather
from encore.ingest import TRAINING_TABLES, load_dataset
from encore.model import ModelConfig
from encore.schema import INPUT_SPECS, TEST
from encore.training import EpochMetrics, TrainResult, fit

Stage = Callable[[str], None]
EpochHook = Callable[[EpochMetrics], None]
BatchHook = Callable[[int, int], None]
StopCheck = Callable[[], bool]


def _quiet(_: str) -> None:
    """The default stage reporter: says nothing."""


@dataclass
class Hooks:
    """What a caller wants to hear about, and how it asks a run to stop."""

    stage: Stage = _quiet
    epoch: EpochHook | None = None
    should_stop: StopCheck | None = None
    batch: BatchHook | None = None


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
    processor = FeatureProcessor(FeatureConfig(min_count=config.min_count))
    parts = with_unknown_rows(processor, processor.fit_parts(train))
    return PreparedData(
        processor=processor,
        train=gather(parts, train.at),
        train_target=target[train_at],
        valid=gather(parts, valid.at),
        valid_target=target[valid_at],
        rows={"train": len(train), "valid": len(valid)},
        catalogue=catalogue,
        parts=parts,
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
    hooks.stage("registering")
    return write_trained(data_dir, artifacts_dir, data, result, config, lineage)


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


def catalogue_writer(data: PreparedData) -> ExtraWriter | None:
    """Writes the catalogue into a version folder (see write_version's extra_files)."""
    tables, parts = data.catalogue, data.parts
    if tables is None or parts is None:
        return None
    return lambda folder: write_catalogue(folder, tables, parts)


def with_learning_rate(config: ModelConfig, learning_rate: float) -> ModelConfig:
    return replace(config, learning_rate=learning_rate)


def _split(rows: int, config: ModelConfig) -> tuple[split.Positions, split.Positions]:
    if config.split == "random":
        return split.random(rows, config.valid_fraction, config.seed)
    return split.chronological(rows, config.valid_fraction)


def _input_files(data_dir: Path) -> list[Path]:
    """The files training reads (test.csv is not one of them)."""
    read = [spec.filename for spec in INPUT_SPECS if spec.table != TEST]
    return [data_dir / name for name in read if (data_dir / name).exists()]


def _lineage(
    data_dir: Path, data: PreparedData, result: TrainResult, config: ModelConfig
) -> dict[str, Any]:
    best = result.history[result.best_epoch - 1]
    return {
        "dataset": data_dir.resolve().name,
        "data_dir": str(data_dir.resolve()),
        "data_fingerprint": fingerprint(_input_files(data_dir)),
        "rows": data.rows,
        "batch_rows": config.batch_rows(len(data.train)),
        "best_epoch": result.best_epoch,
        "epochs_run": len(result.history),
        "stopped_early": result.stopped_early,
        "final_metrics": best.as_dict(),
    }
