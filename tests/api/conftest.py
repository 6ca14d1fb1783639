"""An API app in embedded mode (SQLite records, in-process worker) over a trained version."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from encore.jobs import ModelRegistry
from encore.model import ModelConfig
from encore.pipeline import fit_prepared, write_trained
from encore.settings import Settings
from encore_api.app import create_app
from tests.conftest import Trained

DATASET = "tiny"
QUICK = ModelConfig(max_epochs=2, batch_size=256, hidden=(32, 16), embedding_dim=8)
KEY = "test-key-0123456789"


@pytest.fixture(scope="session")
def data_root(trained_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("api-data")
    (root / DATASET).symlink_to(trained_data)
    return root


@pytest.fixture(scope="session")
def versions(trained: Trained, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two versions of the tiny model (seeds 0 and 1) for every API test: the session's
    prepared data and seed-0 fit, and one more fit (the data was prepared twice before)."""
    assert trained.config == QUICK
    artifacts = tmp_path_factory.mktemp("api-versions")
    second = replace(QUICK, seed=1)
    fits = [(trained.result, QUICK), (fit_prepared(trained.data, second), second)]
    return [
        write_trained(trained.data_dir, artifacts, trained.data, result, config)
        for result, config in fits
    ]


@pytest.fixture
def make_settings(data_root: Path, tmp_path: Path) -> Callable[..., Settings]:
    def build(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "data_dir": data_root,
            "artifacts_dir": tmp_path / "artifacts",
            "database_url": None,
            "redis_url": None,
            "model_poll_seconds": 0.2,
            **overrides,
        }
        return Settings(**values)

    return build


@pytest.fixture
def make_client(
    make_settings: Callable[..., Settings], versions: list[Path]
) -> Iterator[Callable[..., TestClient]]:
    """A started app; `register` versions (the first becomes active) before it starts."""
    clients: list[TestClient] = []

    def build(register: int = 1, **overrides: Any) -> TestClient:
        settings = make_settings(**overrides)
        client = TestClient(create_app(settings))
        client.__enter__()
        clients.append(client)
        registry = ModelRegistry(settings.records_url())
        for folder in versions[:register]:
            registry.register(folder)
        client.app.state.encore.predictor.refresh()  # type: ignore[attr-defined]
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


@pytest.fixture(scope="session")
def valid_rows(trained_data: Path) -> list[dict[str, Any]]:
    """Twenty raw rows from the end of train.csv (the validation split), as the API takes them."""
    plays = pd.read_csv(trained_data / "train.csv", dtype=str, keep_default_na=False).tail(20)
    rows = plays.drop(columns="target").to_dict("records")
    return [{key: value for key, value in row.items() if value != ""} for row in rows]


@pytest.fixture(scope="session")
def valid_targets(trained_data: Path) -> list[int]:
    return [int(t) for t in pd.read_csv(trained_data / "train.csv").tail(20)["target"]]
