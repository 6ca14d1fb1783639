"""Fixtures for the job tests: a fresh migrated database, settings, a tiny data set."""

from __future__ import annotations

from pathlib import Path

import pytest

from encore.datagen.generate import generate
from encore.db import upgrade
from encore.settings import Settings
from tests.services import REDIS, service_settings

DATASET = "tiny"
# A few quick epochs: enough to register a real version in a second or two.
QUICK = {"max_epochs": 3, "batch_size": 256, "hidden": [32, 16], "embedding_dim": 8}
# Runs for minutes unless stopped: for the cancel and kill tests.
ENDLESS = {
    "max_epochs": 100,
    "early_stopping_patience": 100,
    "lr_patience": 100,
    "batch_size": 128,
    "hidden": [32, 16],
    "embedding_dim": 8,
}


@pytest.fixture(scope="session")
def data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("data")
    generate(root / DATASET, 5_000, 7, "tiny")
    return root


@pytest.fixture
def rq_settings(pg_url: str, data_root: Path, tmp_path: Path) -> Settings:
    return service_settings(pg_url, REDIS, data_dir=data_root, artifacts_dir=tmp_path / "artifacts")


@pytest.fixture
def embedded_settings(data_root: Path, tmp_path: Path) -> Settings:
    settings = service_settings(
        None, None, data_dir=data_root, artifacts_dir=tmp_path / "embedded-artifacts"
    )
    settings.artifacts_dir.mkdir(parents=True)
    upgrade(settings.records_url())
    return settings
