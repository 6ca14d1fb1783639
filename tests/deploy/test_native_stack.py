"""The compose stack's processes, started natively with the compose file's own commands,
against this machine's PostgreSQL and Redis: migrate, the API under uvicorn, a trainer."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from encore_api.client import ApiClient, free_port
from tests.services import ENCORE, REDIS, fresh_database, service_settings, settings_env

ROOT = Path(__file__).resolve().parents[2]
KEY = "native-stack-key-0123456789"
QUICK = {"max_epochs": 2, "batch_size": 256, "hidden": [32, 16], "embedding_dim": 8}


def _services() -> dict[str, Any]:
    services: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    return services


def _command(service: str, port: int | None = None) -> list[str]:
    """The compose command, with the installed `encore` and, for the API, a loopback port."""
    command = [str(ENCORE), *_services()[service]["command"][1:]]
    if port is not None:
        command[command.index("--host") + 1] = "127.0.0.1"
        command[command.index("--port") + 1] = str(port)
    return command


def _environment(service: str, base: dict[str, str]) -> dict[str, str]:
    """The compose service's literal settings (thread counts) over the test's connections."""
    literal = {
        key: str(value)
        for key, value in _services()[service].get("environment", {}).items()
        if "${" not in str(value) and key not in ("ENCORE_DATA_DIR", "ENCORE_ARTIFACTS_DIR")
        and not key.endswith("_URL")
    }  # fmt: skip
    return {**base, **literal, "ENCORE_API_KEY": KEY}


@pytest.fixture
def stack_env(data_root: Path, tmp_path: Path) -> Iterator[dict[str, str]]:
    with fresh_database() as url:
        settings = service_settings(url, REDIS, data_root, tmp_path / "artifacts")
        yield settings_env(settings)


@pytest.fixture(scope="session")
def data_root(trained_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stack-data")
    (root / "tiny").symlink_to(trained_data)
    return root


class Process:
    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._output = log.open("ab")
        self.handle = subprocess.Popen(
            command, env=env, stdout=self._output, stderr=subprocess.STDOUT, cwd=log.parent
        )

    def stop(self) -> None:
        self.handle.terminate()
        try:
            self.handle.wait(30)
        except subprocess.TimeoutExpired:
            self.handle.kill()
            self.handle.wait()
        self._output.close()


def _api(env: dict[str, str], port: int, tmp_path: Path) -> tuple[Process, ApiClient]:
    process = Process(_command("api", port), _environment("api", env), tmp_path / "api.log")
    client = ApiClient(f"http://127.0.0.1:{port}", api_key=KEY)
    deadline = time.monotonic() + 60
    while True:
        try:
            if client.get("/health")[0] == 200:
                return process, client
        except OSError:
            pass
        assert process.handle.poll() is None, (tmp_path / "api.log").read_text()
        assert time.monotonic() < deadline, "the API did not start"
        time.sleep(0.3)


def _rows(data_root: Path) -> list[dict[str, str]]:
    plays = pd.read_csv(data_root / "tiny" / "train.csv", dtype=str, keep_default_na=False)
    records = plays.tail(20).drop(columns="target").to_dict("records")
    return [{key: value for key, value in row.items() if value} for row in records]


def test_train_predict_and_restart_as_compose_runs_them(
    stack_env: dict[str, str], data_root: Path, tmp_path: Path
) -> None:
    migrate = subprocess.run(
        _command("migrate"), env=stack_env, capture_output=True, text=True, timeout=120
    )
    assert migrate.returncode == 0, migrate.stderr
    trainer = Process(_command("trainer"), _environment("trainer", stack_env), tmp_path / "t.log")
    port = free_port()
    api, client = _api(stack_env, port, tmp_path)
    try:
        status, accepted = client.post("/train", {"dataset": "tiny", "params": QUICK})
        assert status == 202, accepted
        job = client.follow_job(accepted["job_id"], lambda _: None, timeout=180)
        assert job["status"] == "succeeded", (tmp_path / "t.log").read_text()[-3000:]
        answer = _predict_eventually(client, _rows(data_root))
        assert answer["model_version"] == job["model_version"]
        assert len(answer["predictions"]) == 20

        api.stop()
        api, client = _api(stack_env, port, tmp_path)
        assert [j["id"] for j in client.get("/jobs")[1]] == [job["id"]]
        assert [m["version"] for m in client.get("/models")[1]] == [job["model_version"]]
        assert _predict_eventually(client, _rows(data_root)) == answer
    finally:
        api.stop()
        trainer.stop()


def _predict_eventually(client: ApiClient, rows: list[dict[str, str]]) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while True:
        status, body = client.post("/predict", {"rows": rows})
        if status == 200:
            return dict(body)
        assert time.monotonic() < deadline, body
        time.sleep(0.3)
