"""The API with real PostgreSQL and Redis: jobs go to RQ, a separate worker runs them."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from encore.settings import Settings
from encore_api.app import create_app
from tests.api.conftest import DATASET
from tests.services import REDIS, service_settings, start_worker

QUICK = {"max_epochs": 2, "batch_size": 256, "hidden": [32, 16], "embedding_dim": 8}


def _settings(pg_url: str, redis_url: str, data_root: Path, tmp_path: Path) -> Settings:
    settings = service_settings(pg_url, redis_url, data_root, tmp_path / "artifacts")
    return settings.model_copy(update={"model_poll_seconds": 0.2})


def _eventually(check: Any, timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := check()):
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.2)
    return result


def test_train_through_rq_then_predict_with_the_new_version(
    pg_url: str, data_root: Path, tmp_path: Path
) -> None:
    settings = _settings(pg_url, REDIS, data_root, tmp_path)
    with TestClient(create_app(settings)) as client:
        response = client.post("/train", json={"dataset": DATASET, "params": QUICK})
        assert response.status_code == 202, response.text
        job_id = response.json()["job_id"]
        assert client.get(f"/jobs/{job_id}").json()["status"] == "queued"
        output, _ = start_worker(settings).communicate(timeout=180)
        job = client.get(f"/jobs/{job_id}").json()
        assert job["status"] == "succeeded", output
        answer = _eventually(
            lambda: (
                (r := client.post("/predict/one", json={"msno": "a", "song_id": "b"})).status_code
                == 200
                and r.json()
            )
        )
        assert answer["model_version"] == job["model_version"]
        assert client.get("/ready").json()["ready"] is True


def test_train_answers_503_when_redis_is_unreachable_and_records_nothing(
    pg_url: str, data_root: Path, tmp_path: Path
) -> None:
    settings = _settings(pg_url, "redis://127.0.0.1:1/0", data_root, tmp_path)
    with TestClient(create_app(settings)) as client:
        response = client.post("/train", json={"dataset": DATASET, "params": QUICK})
        assert response.status_code == 503
        assert "queue" in response.json()["message"].lower()
        assert client.get("/jobs").json() == []
