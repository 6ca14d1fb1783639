"""The README's path, as a new user walks it in embedded mode: train, models list, activate,
serve, predict; and a version made elsewhere registered. Every command and route it names
works (a version trained with `encore train` was invisible to all of them: not registered,
so not listed, not activatable, and /ready stayed 503)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from encore.cli import main
from encore.settings import get_settings
from encore_api.client import ApiClient, free_port
from tests.conftest import Trained
from tests.faults.servers import wait_until
from tests.services import ENCORE

QUICK = ["--set", "max_epochs=2", "--set", "batch_size=512", "--set", "hidden=32,16"]


@dataclass(frozen=True)
class FirstRun:
    data: Path
    artifacts: Path
    first: str
    second: str
    listing: str
    api: ApiClient
    log: Path


def encore(*argv: str) -> tuple[int, str, str]:
    """`encore ARGV` in this process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def first_run(trained_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FirstRun]:
    """Two `encore train` runs, the second activated with `encore models activate`, then
    `encore serve`, all with nothing but ENCORE_ARTIFACTS_DIR and ENCORE_DATA_DIR set."""
    folder = tmp_path_factory.mktemp("first-run")
    (folder / "data").mkdir()
    (folder / "data" / "tiny").symlink_to(trained_data)
    with pytest.MonkeyPatch.context() as patch:
        for name in [key for key in os.environ if key.startswith("ENCORE_")]:
            patch.delenv(name)
        for name in ("DATABASE_URL", "REDIS_URL"):
            patch.delenv(name, raising=False)
        patch.setenv("ENCORE_ARTIFACTS_DIR", str(folder / "artifacts"))
        patch.setenv("ENCORE_DATA_DIR", str(folder / "data"))
        patch.setenv("ENCORE_MODEL_POLL_SECONDS", "0.2")
        get_settings.cache_clear()
        first, second = (_train(trained_data, *QUICK, "--set", f"seed={s}") for s in (0, 1))
        listing = encore("models", "list")[1]
        assert encore("models", "activate", second)[0] == 0
        log = folder / "serve.log"
        with _serving(log) as api:
            yield FirstRun(trained_data, folder / "artifacts", first, second, listing, api, log)
    get_settings.cache_clear()


def _train(data: Path, *options: str) -> str:
    code, out, err = encore("train", "--data", str(data), "--json", *options)
    assert code == 0, err
    return str(json.loads(out.splitlines()[-1])["version"])


@contextlib.contextmanager
def _serving(log: Path) -> Iterator[ApiClient]:
    port = free_port()
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(ENCORE), "serve", "--port", str(port)], stdout=output, stderr=output
        )
    api = ApiClient(f"http://127.0.0.1:{port}", timeout=30)
    try:
        wait_until(lambda: _answers(api, server, log), "encore serve answering /ready")
        yield api
    finally:
        server.terminate()
        server.wait(30)


def _answers(api: ApiClient, server: subprocess.Popen[bytes], log: Path) -> bool:
    assert server.poll() is None, log.read_text(errors="replace")
    try:
        return api.get("/ready")[0] == 200
    except OSError:
        return False


def _rows(data: Path, count: int = 5) -> list[dict[str, Any]]:
    plays = pd.read_csv(data / "train.csv", dtype=str, keep_default_na=False).tail(count)
    records = plays.drop(columns="target").to_dict("records")
    return [{key: value for key, value in row.items() if value} for row in records]


def test_train_registers_each_version_and_the_first_becomes_active(first_run: FirstRun) -> None:
    lines = first_run.listing.splitlines()
    marks = [(line[0], line.split()[0 if line[0] == " " else 1]) for line in lines]
    assert marks == [("*", first_run.first), (" ", first_run.second)]
    assert all("AUC" in line and "kept epoch" in line for line in lines)


def test_the_api_answers_with_the_version_activated_on_the_command_line(
    first_run: FirstRun,
) -> None:
    api = first_run.api
    ready = api.get("/ready")[1]
    assert ready["model_version"] == first_run.second
    status, answer = api.post("/predict", {"rows": _rows(first_run.data)})
    assert status == 200 and answer["model_version"] == first_run.second
    listed = {model["version"]: model for model in api.get("/models")[1]}
    assert set(listed) == {first_run.first, first_run.second}
    assert listed[first_run.second]["active"] and listed[first_run.second]["serving"]


def test_active_names_the_served_version_and_latest_the_newest_folder(
    first_run: FirstRun, tmp_path: Path
) -> None:
    """After a rollback, `--model latest` is not what the API serves; `--model active` is."""
    api = first_run.api
    assert api.post(f"/models/{first_run.first}/activate")[0] == 200
    rows = _rows(first_run.data, 1)
    wait_until(
        lambda: api.post("/predict/one", rows[0])[1].get("model_version") == first_run.first,
        "the API answering with the version rolled back to",
        timeout=30,
    )
    test_csv = first_run.data / "test.csv"
    for choice, expected in (("active", first_run.first), ("latest", first_run.second)):
        code, out, err = encore(
            "predict", "--model", choice, "--input", str(test_csv), "--out", str(tmp_path / "s")
        )
        assert code == 0, err
        assert out.startswith(f"model {expected}:"), (choice, out)
    assert "newest version folder" in _help("predict")


def test_a_version_made_elsewhere_is_registered_by_path(
    first_run: FirstRun, trained: Trained, tmp_path: Path
) -> None:
    folder = trained.write(tmp_path / "elsewhere")
    code, out, err = encore("models", "register", str(folder))
    assert code == 0, err
    copied = first_run.artifacts / "models" / folder.name
    assert f"version {folder.name} registered from {copied}" in out
    assert (copied / "manifest.json").is_file()
    assert folder.name in {model["version"] for model in first_run.api.get("/models")[1]}


def test_a_broken_folder_is_not_registered(
    first_run: FirstRun, trained: Trained, tmp_path: Path
) -> None:
    folder = trained.write(tmp_path / "broken")
    (folder / "weights.pt").write_bytes(b"not weights")
    code, out, err = encore("models", "register", str(folder))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "weights.pt differs from its manifest" in err
    assert not (first_run.artifacts / "models" / folder.name).exists()


def _help(command: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main([command, "--help"])
    return " ".join(out.getvalue().split())


def test_the_server_logs_one_json_object_a_line_for_jobs_versions_and_activations(
    first_run: FirstRun,
) -> None:
    """`encore serve` said nothing about the version it loaded, a job, or an activation."""
    api = first_run.api
    status, accepted = api.post("/train", {"dataset": "tiny", "params": {"max_epochs": 1}})
    assert status == 202, accepted
    job = api.follow_job(accepted["job_id"], lambda _: None, timeout=120)
    assert job["status"] == "succeeded", job
    assert api.post(f"/models/{job['model_version']}/activate")[0] == 200
    wait_until(
        lambda: job["model_version"] in first_run.log.read_text(), "the log naming the version"
    )
    lines = [json.loads(line) for line in first_run.log.read_text().splitlines()]
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    about_job = [line for line in lines if line.get("job_id") == job["id"]]
    assert [line["status"] for line in about_job] == ["running", "succeeded"]
    assert about_job[-1]["version"] == job["model_version"]
    messages = [line["message"] for line in lines]
    assert f"registered model {job['model_version']}" in messages
    assert f"activated model {job['model_version']}" in messages
    wait_until(
        lambda: f"now serving model {job['model_version']}" in first_run.log.read_text(),
        "the log saying the new version serves",
    )
    assert any(line["message"].startswith("encore serve: http://127.0.0.1:") for line in lines)
