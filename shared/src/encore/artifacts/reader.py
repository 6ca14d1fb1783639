"""Finding, checking and loading model versions."""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import torch

from encore.artifacts.fingerprint import file_digest
from encore.artifacts.layout import CONFIG, FEATURES, FORMAT, MANIFEST, WEIGHTS
from encore.artifacts.location import PARTIAL_PREFIX, models_dir
from encore.catalogue import Catalogue, Columns, Resolver, read_catalogue
from encore.errors import EncoreError
from encore.features import FeatureProcessor
from encore.model import EncoreNet, ModelConfig, Scorer, build_model

LATEST = "latest"


@dataclass(frozen=True)
class VersionInfo:
    """A complete version: its name, folder, creation time (ISO 8601, UTC) and manifest."""

    version: str
    path: Path
    created_at: str
    manifest: dict[str, Any]


@dataclass(frozen=True)
class LoadedModel:
    """Everything needed to score rows: the network in eval mode, its feature processor, the
    catalogue, and the one path from rows to probabilities (resolver, then scorer)."""

    path: Path
    manifest: dict[str, Any]
    config: ModelConfig
    processor: FeatureProcessor
    model: EncoreNet
    catalogue: Catalogue
    resolver: Resolver
    scorer: Scorer

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    def probabilities(self, columns: Columns) -> npt.NDArray[np.float64]:
        """The probability of a replay for every row, in order: every scoring route's path."""
        return self.scorer.probabilities(self.resolver.matrix(columns))


def list_versions(artifacts_dir: Path) -> list[VersionInfo]:
    """Complete versions (with a readable manifest), oldest first; unfinished ones are skipped."""
    models = models_dir(artifacts_dir)
    if not models.is_dir():
        return []
    found = (_complete_version(folder) for folder in models.iterdir())
    versions = [info for info in found if info is not None]
    return sorted(versions, key=lambda info: (info.created_at, info.version))


def resolve_model(path_or_version: str | Path, artifacts_dir: Path) -> Path:
    """A version folder from a path, a version name under ``<artifacts>/models``, or "latest"."""
    text = str(path_or_version)
    if text == LATEST:
        return _latest(artifacts_dir)
    as_path = Path(path_or_version)
    if as_path.is_dir():
        return as_path
    named = models_dir(artifacts_dir) / text
    if "/" not in text and named.is_dir():
        return named
    known = [info.version for info in list_versions(artifacts_dir)]
    listing = ", ".join(known[-5:]) if known else "none yet"
    raise EncoreError(
        f"model {text!r} is neither a folder nor a version in {models_dir(artifacts_dir)} "
        f"(latest versions: {listing})"
    )


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a version folder; EncoreError if there is none or it is not one."""
    path = Path(folder) / MANIFEST
    if not Path(folder).is_dir():
        raise EncoreError(f"model {folder}: no such folder")
    if not path.is_file():
        raise EncoreError(
            f"model {folder}: not a model version "
            f"(no {MANIFEST}: an unfinished or interrupted run?)"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise EncoreError(f"model {folder}: {MANIFEST} cannot be read ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise EncoreError(f"model {folder}: {MANIFEST} is not an Encore model manifest")
    return manifest


def load_version(path: Path) -> LoadedModel:
    """Check a version's files against its manifest, then rebuild the network and processor."""
    folder = Path(path)
    manifest = read_manifest(folder)
    _check_files(folder, manifest)
    config = _read_config(folder)
    processor = FeatureProcessor.load(folder / FEATURES)
    model = build_model(config, processor.cardinalities, len(processor.numeric_names))
    _load_weights(model, folder / WEIGHTS)
    model.eval()
    catalogue = read_catalogue(folder)
    return LoadedModel(
        folder, manifest, config, processor, model, catalogue,
        Resolver(processor, catalogue), Scorer(model),
    )  # fmt: skip


def _complete_version(folder: Path) -> VersionInfo | None:
    if folder.name.startswith(PARTIAL_PREFIX) or not (folder / MANIFEST).is_file():
        return None
    try:
        manifest = read_manifest(folder)
    except EncoreError:
        return None
    return VersionInfo(folder.name, folder, str(manifest.get("created_at", "")), manifest)


def _latest(artifacts_dir: Path) -> Path:
    versions = list_versions(artifacts_dir)
    if not versions:
        raise EncoreError(
            f"no model versions in {models_dir(artifacts_dir)}: train one with `encore train`"
        )
    return versions[-1].path


def _check_files(folder: Path, manifest: dict[str, Any]) -> None:
    for name, expected in manifest.get("files", {}).items():
        file = folder / name
        if not file.is_file():
            raise EncoreError(f"model {folder}: {name} is missing")
        if file.stat().st_size != expected["bytes"] or file_digest(file) != expected["sha256"]:
            raise EncoreError(
                f"model {folder}: {name} differs from its manifest (corrupt or modified)"
            )


def _read_config(folder: Path) -> ModelConfig:
    try:
        return ModelConfig.from_dict(json.loads((folder / CONFIG).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        raise EncoreError(f"model {folder}: {CONFIG} cannot be read ({exc})") from None


def _load_weights(model: EncoreNet, path: Path) -> None:
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
        model.load_state_dict(state)
    except (OSError, RuntimeError, ValueError, EOFError, KeyError, pickle.UnpicklingError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise EncoreError(f"model {path.parent}: {WEIGHTS} cannot be loaded ({reason})") from None
    # A diverged run can store NaN or infinite weights: every answer would be NaN.
    broken = [name for name, tensor in model.state_dict().items() if not tensor.isfinite().all()]
    if broken:
        raise EncoreError(
            f"model {path.parent}: {WEIGHTS} holds NaN or infinite values ({', '.join(broken)})"
        )
