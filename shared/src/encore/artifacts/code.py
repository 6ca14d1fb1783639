"""The code a model was trained with: package version, git commit, library versions."""

from __future__ import annotations

import platform
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

import torch

import encore


def code_version() -> dict[str, Any]:
    return {
        "encore": encore.__version__,
        "git_commit": _git_commit(),
        "python": platform.python_version(),
        "torch": torch.__version__,
    }


@lru_cache(maxsize=1)
def _git_commit() -> str | None:
    """The commit of the checkout the package runs from; None when installed elsewhere."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(encore.__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = result.stdout.strip()
    return commit if result.returncode == 0 and commit else None
