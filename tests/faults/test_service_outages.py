"""Redis or PostgreSQL stopped, or frozen (SIGSTOP), under a running API (`encore serve`),
then started or thawed again: predictions carry on, what needs the server answers 503 with a
message at once (within RESPONSE_DEADLINE when frozen), and everything recovers, with nothing
recorded before the outage lost."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from redis import Redis
from rq import Queue

from encore.db import upgrade
from encore.jobs import ModelRegistry
from encore.pipeline import train_version
from encore.settings import Settings
from encore_api.client import ApiClient
from tests.conftest import FAST
from tests.faults.servers import (
    ApiServer,
    PostgresServer,
    RedisServer,
    postgres_folder,
    wait_until,
)
from tests.jobs.conftest import DATASET, QUICK
from tests.services import fresh_database, service_settings, settings_env

TRAIN = {"dataset": DATASET, "params": QUICK}
# What a client waits at most for an answer while a server is frozen: the API's records and
# queue deadlines are 2 s (ENCORE_DATABASE_TIMEOUT, the Redis client's timeouts).
RESPONSE_DEADLINE = 3.0
Serve = Callable[[str, str], tuple[Settings, ApiClient]]


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with postgres_folder() as folder:
        server = PostgresServer(folder)
        server.create()
        server.start()
        try:
            yield server
        finally:
            if server.running():
                server.stop()


@pytest.fixture
def private_pg_url(postgres: PostgresServer) -> Iterator[str]:
    """A fresh database at the newest schema on the private server, running again afterwards."""
    with fresh_database(postgres.url) as url:
        upgrade(url)
        try:
            yield url
        finally:
            if not postgres.running():
                postgres.start()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def data_root(trained_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("faults-data")
    (root / DATASET).symlink_to(trained_data)
    return root


@pytest.fixture(scope="module")
def version(trained_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A servable version of the tiny model (with its catalogue, which /predict needs)."""
    return train_version(trained_data, tmp_path_factory.mktemp("faults-version"), FAST)


@pytest.fixture(scope="module")
def rows(trained_data: Path) -> list[dict[str, str]]:
    """Twenty rows of the validation split, as /predict takes them."""
    plays = pd.read_csv(trained_data / "train.csv", dtype=str, keep_default_na=False).tail(20)
    records = plays.drop(columns="target").to_dict("records")
    return [{key: value for key, value in row.items() if value} for row in records]


@pytest.fixture
def serve(data_root: Path, tmp_path: Path, version: Path) -> Iterator[Serve]:
    """Start `encore serve` on these records and this Redis, with `version` active."""
    servers: list[ApiServer] = []

    def start(database_url: str, redis_url: str) -> tuple[Settings, ApiClient]:
        settings = service_settings(database_url, redis_url, data_root, tmp_path / "artifacts")
        ModelRegistry(database_url).register(version)
        # The model watcher loads the active version at start; polling later would reach the
        # records database in the background and take a stale connection before any request.
        env = {**settings_env(settings), "ENCORE_MODEL_POLL_SECONDS": "600"}
        servers.append(ApiServer(env, tmp_path / "api.log"))
        return settings, servers[-1].client

    yield start
    for server in servers:
        server.stop()


def test_redis_stopped_predictions_go_on_and_training_is_refused_until_it_returns(
    pg_url: str, redis_server: RedisServer, serve: Serve, rows: list[dict[str, str]]
) -> None:
    settings, api = serve(pg_url, redis_server.url)
    before = _predictions_once_serving(api, rows)

    redis_server.stop()
    assert _predictions(api, rows) == before
    status, problem = api.post("/train", TRAIN)
    assert status == 503, problem
    assert "queue" in problem["message"] and "unavailable" in problem["message"], problem
    assert api.get("/jobs") == (200, []), "a refused job must leave no record"

    redis_server.start()
    status, accepted = api.post("/train", TRAIN)
    assert status == 202, accepted
    recorded = [(job["id"], job["status"]) for job in api.get("/jobs")[1]]
    assert recorded == [(accepted["job_id"], "queued")]
    assert _queued(settings) == [accepted["job_id"]], "the job waits on the queue for a worker"


def test_postgres_stopped_predictions_go_on_records_answer_503_and_nothing_is_lost(
    private_pg_url: str,
    postgres: PostgresServer,
    redis_server: RedisServer,
    serve: Serve,
    rows: list[dict[str, str]],
) -> None:
    _, api = serve(private_pg_url, redis_server.url)
    before = _predictions_once_serving(api, rows)
    status, queued = api.post("/train", TRAIN)
    assert status == 202, queued
    ready, jobs, models = api.get("/ready"), api.get("/jobs"), api.get("/models")
    assert ready[0] == 200 and len(jobs[1]) == 1 and len(models[1]) == 1, (ready, jobs, models)

    postgres.stop()
    assert _predictions(api, rows) == before
    status, readiness = api.get("/ready")
    assert status == 503 and readiness["ready"] is False, readiness
    assert readiness["database"].startswith("unavailable"), readiness
    _assert_records_unavailable(api, queued["job_id"], models[1][0]["version"])

    postgres.start()
    assert api.get("/ready") == ready
    assert api.get("/jobs") == jobs and api.get("/models") == models
    status, accepted = api.post("/train", TRAIN)
    assert status == 202, accepted
    assert [job["id"] for job in api.get("/jobs")[1]] == [accepted["job_id"], queued["job_id"]]

    postgres.stop()  # a quick restart nobody asked anything during: no stale connection shows
    postgres.start()
    assert api.get("/ready") == ready and api.get("/models") == models


def test_a_frozen_postgres_makes_records_routes_a_prompt_503_and_they_recover(
    private_pg_url: str,
    postgres: PostgresServer,
    redis_server: RedisServer,
    serve: Serve,
    rows: list[dict[str, str]],
) -> None:
    """A suspended server holds every pooled connection open and answers nothing; psycopg2
    has no read timeout, so before the deadlines a request waited for as long as it lasted."""
    _, api = serve(private_pg_url, redis_server.url)
    before = _predictions_once_serving(api, rows)
    status, queued = api.post("/train", TRAIN)
    assert status == 202, queued
    ready, jobs, models = api.get("/ready"), api.get("/jobs"), api.get("/models")

    postgres.freeze()
    try:
        assert _timed(lambda: _predictions(api, rows))[0] == before
        readiness = _timed(lambda: api.get("/ready"))
        assert readiness[0][0] == 503, readiness
        assert readiness[0][1]["database"].startswith("unavailable"), readiness
        _assert_records_unavailable(api, queued["job_id"], models[1][0]["version"], timed=True)
    finally:
        postgres.thaw()

    wait_until(lambda: api.get("/ready") == ready, "the API ready again after the thaw")
    assert api.get("/jobs") == jobs and api.get("/models") == models
    status, accepted = api.post("/train", TRAIN)
    assert status == 202, accepted


def test_a_frozen_redis_makes_train_a_prompt_503_and_it_recovers(
    pg_url: str, redis_server: RedisServer, serve: Serve, rows: list[dict[str, str]]
) -> None:
    """POST /train waited 10 s (or more, with redis-py's retries) on a suspended Redis."""
    settings, api = serve(pg_url, redis_server.url)
    before = _predictions_once_serving(api, rows)

    redis_server.freeze()
    try:
        assert _timed(lambda: _predictions(api, rows))[0] == before
        (status, problem), _ = _timed(lambda: api.post("/train", TRAIN))
        assert status == 503 and "queue" in problem["message"], problem
        assert api.get("/jobs") == (200, []), "a refused job must leave no record"
    finally:
        redis_server.thaw()

    status, accepted = api.post("/train", TRAIN)
    assert status == 202, accepted
    assert _queued(settings) == [accepted["job_id"]]


def _timed(call: Callable[[], Any]) -> tuple[Any, float]:
    """The call's answer, which must come within RESPONSE_DEADLINE, and how long it took."""
    started = time.monotonic()
    answer = call()
    seconds = time.monotonic() - started
    assert seconds < RESPONSE_DEADLINE, f"answered after {seconds:.1f} s: {answer}"
    return answer, seconds


def _assert_records_unavailable(
    api: ApiClient, job_id: str, version: str, timed: bool = False
) -> None:
    """Every route that reads or writes the records database answers 503 with a message
    (each within RESPONSE_DEADLINE when `timed`)."""
    calls = [
        ("POST", "/train", TRAIN),
        ("GET", "/jobs", None),
        ("GET", f"/jobs/{job_id}", None),
        ("POST", f"/jobs/{job_id}/cancel", None),
        ("GET", "/models", None),
        ("GET", f"/models/{version}", None),
        ("POST", f"/models/{version}/activate", None),
    ]
    for method, path, body in calls:

        def call(m: str = method, p: str = path, b: Any = body) -> tuple[int, Any]:
            return api.post(p, b) if m == "POST" else api.get(p)

        status, problem = _timed(call)[0] if timed else call()
        assert status == 503, (method, path, problem)
        assert "database is unavailable" in problem["message"], (method, path, problem)


def _predictions(api: ApiClient, rows: list[dict[str, str]]) -> tuple[Any, Any]:
    """(status, body) of a batch of rows and of one row."""
    return api.post("/predict", {"rows": rows}), api.post("/predict/one", rows[0])


def _predictions_once_serving(api: ApiClient, rows: list[dict[str, str]]) -> tuple[Any, Any]:
    """The first answers, once the API has loaded the active version."""
    wait_until(lambda: api.post("/predict/one", rows[0])[0] == 200, "the API serving a model")
    answers = _predictions(api, rows)
    assert answers[0][0] == answers[1][0] == 200, answers
    return answers


def _queued(settings: Settings) -> list[str]:
    """The ids of the jobs waiting on the settings' RQ queue."""
    with Redis.from_url(str(settings.redis_url)) as connection:
        return list(Queue(settings.queue_name, connection=connection).job_ids)
