"""Writing one model version atomically: a temporary folder, manifest.json last, one rename."""

from __future__ import annotations

import json
import math
import os
import secrets
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import torch

from encore.artifacts.code import code_version
from encore.artifacts.fingerprint import file_digest
from encore.artifacts.layout import (
    CONFIG,
    CURVES,
    FEATURES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    METRICS,
    WEIGHTS,
)
from encore.artifacts.location import PARTIAL_PREFIX, models_dir
from encore.errors import EncoreError
from encore.features import FeatureProcessor
from encore.model import ModelConfig
from encore.plots import curves_png

# Keys write_version sets itself; the caller's lineage may not use them.
RESERVED = frozenset(
    {"format", "format_version", "version", "created_at", "code", "config", "files"}
)
# Writes more files into a version folder; returns their paths relative to it.
ExtraWriter = Callable[[Path], list[str]]
# A temporary folder this old belongs to a run that died, not to one still writing.
STALE_AFTER = timedelta(days=1)


def write_version(
    artifacts_dir: Path,
    *,
    model: torch.nn.Module,
    config: ModelConfig,
    processor: FeatureProcessor,
    history: list[dict[str, Any]],
    lineage: dict[str, Any],
    extra_files: ExtraWriter | None = None,
) -> Path:
    """Store a trained model as ``<artifacts>/models/<version>/`` and return that folder.

    ``lineage`` (data fingerprint, split, final metrics, ...) goes into manifest.json beside
    the version, creation time, code version, config and each file's size and SHA-256.
    ``extra_files`` writes more files into the folder (the catalogue) and returns their
    relative paths, which the manifest covers too.
    Nothing is left under a version name if any step fails.
    """
    clashing = sorted(RESERVED & set(lineage))
    if clashing:
        raise ValueError(f"lineage may not set {clashing}")
    models = models_dir(artifacts_dir)
    _make_folder(models)
    clean_partial(artifacts_dir, older_than=STALE_AFTER)
    created = datetime.now(UTC)
    version = f"{created:%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"

    def fill(folder: Path) -> None:
        _write_files(folder, model, config, processor, history)
        extra = extra_files(folder) if extra_files is not None else []
        manifest = _manifest(folder, version, created, config, lineage)
        manifest["files"].update(_file_entries(folder, extra))
        _write_json(folder / MANIFEST, manifest)

    return _publish(models, version, fill)


def _publish(models: Path, version: str, fill: Callable[[Path], None]) -> Path:
    """Fill a temporary folder, then rename it: the version appears complete or not at all."""
    partial = models / f"{PARTIAL_PREFIX}{secrets.token_hex(6)}"
    try:
        partial.mkdir()
        fill(partial)
        _sync_folder(partial)
        os.rename(partial, models / version)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    _sync_folder(models)
    return models / version


def clean_partial(artifacts_dir: Path, older_than: timedelta = timedelta(0)) -> list[Path]:
    """Remove the temporary folders of unfinished versions; return what was removed.

    With the default age of zero every one goes, so call it only when no training run is
    writing; ``write_version`` itself removes only those older than a day.
    """
    models = models_dir(artifacts_dir)
    if not models.is_dir():
        return []
    cutoff = time.time() - older_than.total_seconds()
    removed = [
        folder
        for folder in sorted(models.glob(f"{PARTIAL_PREFIX}*"))
        if folder.is_dir() and folder.stat().st_mtime <= cutoff
    ]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed


def _write_files(
    folder: Path,
    model: torch.nn.Module,
    config: ModelConfig,
    processor: FeatureProcessor,
    history: list[dict[str, Any]],
) -> None:
    state = {name: tensor.detach().cpu() for name, tensor in model.state_dict().items()}
    torch.save(state, folder / WEIGHTS)
    processor.save(folder / FEATURES)
    _write_json(folder / CONFIG, config.to_dict())
    _write_json(folder / METRICS, history)
    curves_png(history, folder / CURVES)


def _manifest(
    folder: Path,
    version: str,
    created: datetime,
    config: ModelConfig,
    lineage: dict[str, Any],
) -> dict[str, Any]:
    files = _file_entries(folder, [WEIGHTS, FEATURES, CONFIG, METRICS, CURVES])
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "version": version,
        "created_at": created.isoformat(timespec="microseconds"),
        "code": code_version(),
        "config": config.to_dict(),
        **lineage,
        "files": files,
    }


def _file_entries(folder: Path, names: list[str]) -> dict[str, dict[str, Any]]:
    return {
        name: {"bytes": (folder / name).stat().st_size, "sha256": file_digest(folder / name)}
        for name in names
    }


def _write_json(path: Path, payload: Any) -> None:
    text = json.dumps(_json_safe(payload), indent=2, allow_nan=False, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


def _json_safe(value: Any) -> Any:
    """NaN and infinity (e.g. an AUC on one class) as null: strict JSON has no such numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


def _sync_folder(folder: Path) -> None:
    """Flush a folder's files and entries to disk, so a power cut cannot undo the order."""
    for path in folder.iterdir():
        if path.is_file():
            _fsync(path, os.O_RDONLY)
    _fsync(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))


def _fsync(path: Path, flags: int) -> None:
    descriptor = os.open(path, flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _make_folder(models: Path) -> None:
    try:
        models.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EncoreError(f"cannot create the models folder {models}: {exc.strerror}") from None
