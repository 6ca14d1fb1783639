"""The job kinds: train, sweep, score and import. Each returns what the job row records."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from encore.artifacts import load_version, read_manifest
from encore.datasets.importing import import_upload
from encore.datasets.store import DatasetStore
from encore.db.tables import Job, ModelVersion
from encore.errors import EncoreError
from encore.jobs.context import JobContext
from encore.jobs.params import (
    ImportParams,
    ScoreParams,
    SweepParams,
    TrainParams,
    resolve_dataset,
)
from encore.jobs.progress import JobProgress
from encore.pipeline import fit_prepared, prepare, train_version, with_learning_rate
from encore.plots import sweep_png
from encore.scoring import predict_file


@dataclass(frozen=True)
class Outcome:
    """What the job row records: its result (names of data sets and versions, and paths
    only inside the artifacts folder, never the host's), the version, the kept metrics."""

    result: dict[str, Any]
    model_version: str | None = None
    metrics: dict[str, Any] | None = None


def run_train(job: Job, ctx: JobContext) -> Outcome:
    params = TrainParams.model_validate(job.params)
    config = params.build_config()
    progress = _progress(job, ctx, config.max_epochs)
    data_dir = resolve_dataset(ctx.data_dir, params.dataset)
    lineage = {"job_id": job.id}
    folder = train_version(data_dir, ctx.artifacts_dir, config, progress.hooks(), lineage)
    record = ctx.registry.register(folder, job_id=job.id)
    manifest = read_manifest(folder)
    result = {
        "version": record.version,
        "active": record.active,
        "metrics": record.metrics,
        "kept_epoch": manifest.get("best_epoch"),
        "epochs_run": manifest.get("epochs_run"),
        "stopped_early": manifest.get("stopped_early"),
    }
    return Outcome(result, record.version, record.metrics)


def run_sweep(job: Job, ctx: JobContext) -> Outcome:
    params = SweepParams.model_validate(job.params)
    config = params.build_config()
    progress = _progress(job, ctx, config.max_epochs)
    data = prepare(resolve_dataset(ctx.data_dir, params.dataset), config, progress.hooks())
    runs: dict[str, list[dict[str, Any]]] = {}
    kept: dict[str, dict[str, Any]] = {}
    for run, rate in enumerate(params.learning_rates):
        progress.run = run
        progress.run_label = f"learning rate {rate:g}, {run + 1} of {len(params.learning_rates)}"
        result = fit_prepared(data, with_learning_rate(config, rate), progress.hooks())
        runs[f"{rate:g}"] = [epoch.as_dict() for epoch in result.history]
        kept[f"{rate:g}"] = result.best.as_dict()
    out = ctx.artifacts_dir / "sweeps" / job.id
    out.mkdir(parents=True, exist_ok=True)
    sweep_png(runs, out / "sweep.png")
    (out / "sweep.json").write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")
    figure = _within(out / "sweep.png", ctx.artifacts_dir)
    return Outcome({"figure": figure, "best": kept})


def run_score(job: Job, ctx: JobContext) -> Outcome:
    params = ScoreParams.model_validate(job.params)
    record = _version_to_score(ctx, params.model_version)
    input_path = resolve_dataset(ctx.data_dir, params.dataset) / params.input
    if not input_path.is_file():
        raise EncoreError(f"dataset {params.dataset!r} has no file {params.input!r}")
    ctx.store.set(job.id, stage="scoring", model_version=record.version)
    ctx.store.note(job.id, f"stage: scoring with version {record.version}")
    out = Path(record.path) / "submissions" / f"{job.id}.csv"
    out.parent.mkdir(exist_ok=True)
    rows = predict_file(load_version(Path(record.path)), input_path, out)
    return Outcome({"submission": _within(out, ctx.artifacts_dir), "rows": rows}, record.version)


def run_import(job: Job, ctx: JobContext) -> Outcome:
    params = ImportParams.model_validate(job.params)

    def stage(name: str) -> None:
        ctx.store.set(job.id, stage=name)
        ctx.store.note(job.id, f"stage: {name}")

    store = DatasetStore(ctx.data_dir)
    dataset = import_upload(
        store, params.upload, params.dataset, ctx.max_upload_bytes, job.id, stage
    )
    return Outcome({"dataset": dataset})


RUNNERS: dict[str, Callable[[Job, JobContext], Outcome]] = {
    "train": run_train,
    "sweep": run_sweep,
    "score": run_score,
    "import": run_import,
}


def _progress(job: Job, ctx: JobContext, max_epochs: int) -> JobProgress:
    ctx.store.set(job.id, max_epochs=max_epochs)
    return JobProgress(ctx.store, job.id, max_epochs)


def _version_to_score(ctx: JobContext, version: str | None) -> ModelVersion:
    if version is not None:
        return ctx.registry.get(version)
    active = ctx.registry.active()
    if active is None:
        raise EncoreError("no active model version to score with: train one first")
    return active


def _within(path: Path, artifacts: Path) -> str:
    """A path inside the artifacts folder, relative to it (the host's layout stays private)."""
    try:
        return str(path.resolve().relative_to(artifacts.resolve()))
    except ValueError:  # a version registered from outside the artifacts folder
        return path.name
