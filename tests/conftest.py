"""Fixtures shared by every test folder: the real sample, and one model trained on tiny data."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from encore.artifacts import fingerprint, write_version
from encore.datagen.generate import generate
from encore.db import upgrade
from encore.model import ModelConfig
from encore.pipeline import PreparedData, catalogue_writer, fit_prepared, prepare
from encore.training import TrainResult
from tests.services import fresh_database

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "shared" / "kkbox-sample"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database at the newest schema, dropped afterwards."""
    with fresh_database() as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The real KKBOX rows in ../shared/kkbox-sample beside the repository (never copied in)."""
    if not (SAMPLE_DIR / "train.csv").is_file():
        pytest.skip(f"real KKBOX sample not found at {SAMPLE_DIR}")
    return SAMPLE_DIR


# Small batches and a small network: the tiny set has 4,000 training rows.
FAST = ModelConfig(batch_size=256, max_epochs=2, hidden=(32, 16), embedding_dim=8)


@dataclass(frozen=True)
class Trained:
    data_dir: Path
    config: ModelConfig
    data: PreparedData
    result: TrainResult

    def write(self, artifacts: Path, with_catalogue: bool = True, **lineage: object) -> Path:
        return write_version(
            artifacts,
            model=self.result.model,
            config=self.config,
            processor=self.data.processor,
            history=[epoch.as_dict() for epoch in self.result.history],
            lineage={
                "data_fingerprint": fingerprint([self.data_dir / "train.csv"]),
                "final_metrics": self.result.best.as_dict(),
                **lineage,
            },
            extra_files=catalogue_writer(self.data) if with_catalogue else None,
        )


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Trained:
    folder = tmp_path_factory.mktemp("tiny-data")
    generate(folder, 5_000, 7, "tiny")
    data = prepare(folder, FAST)
    return Trained(folder, FAST, data, fit_prepared(data, FAST))


@pytest.fixture(scope="session")
def trained_data(trained: Trained) -> Path:
    """The tiny generated data set the shared model was trained on."""
    return trained.data_dir
