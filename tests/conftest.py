"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "shared" / "kkbox-sample"


@pytest.fixture
def sample_dir() -> Path:
    """The real KKBOX rows in ../shared/kkbox-sample beside the repository (never copied in)."""
    if not (SAMPLE_DIR / "train.csv").is_file():
        pytest.skip(f"real KKBOX sample not found at {SAMPLE_DIR}")
    return SAMPLE_DIR
