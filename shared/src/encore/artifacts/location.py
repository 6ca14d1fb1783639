"""Where model versions live: --artifacts, else ENCORE_ARTIFACTS_DIR, else ./artifacts."""

from __future__ import annotations

from pathlib import Path

from encore.settings import load_settings

MODELS = "models"
# Version folders are named after their creation time; unfinished ones start with this.
PARTIAL_PREFIX = ".tmp-"


def artifacts_dir(explicit: Path | None = None) -> Path:
    """The explicit folder when given, else the setting (ENCORE_ARTIFACTS_DIR or ./artifacts)."""
    if explicit is not None:
        return Path(explicit)
    return load_settings().artifacts_dir


def models_dir(artifacts: Path) -> Path:
    return Path(artifacts) / MODELS
