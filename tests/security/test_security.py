"""Security: the key on every route that changes something, names that cannot leave their
folders, weights loaded without running their code, no secret in the logs. No secret in the
repository or the images: tests/security/test_secrets.py.

Tested elsewhere: the containers run as a non-root user and compose refuses to start without
its secrets (tests/deploy/test_deploy_files.py); a database error never shows the database
password (tests/db/test_migrations.py); `encore serve` without a key listens on loopback only
(tests/api/test_api_operations.py).
"""

from __future__ import annotations

import http.client
import json
import os
import pickle
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import torch
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from encore.cli import main
from encore.db import upgrade
from encore.jobs import JobService, ModelRegistry
from encore.settings import Settings
from encore_api.app import create_app
from tests.api.conftest import KEY
from tests.artifacts.test_artifacts_versions import _rewrite_manifest_digests
from tests.faults.servers import ApiServer, wait_until
from tests.services import REDIS, fresh_database, service_settings, settings_env, start_worker

# --- The key on every route that changes something -------------------------------------------

PREDICTION_ROUTES = {"/predict", "/predict/one", "/recommend"}
CHANGING_METHODS = {"post", "put", "patch", "delete"}
REFUSED_HEADERS: list[dict[str, str]] = [
    {},
    {"Authorization": "Bearer wrong"},
    {"Authorization": KEY},
    {"Authorization": f"Basic {KEY}"},
    {"Authorization": f"Bearer {KEY[:-1]}"},
    {"Authorization": f"Bearer {KEY}0"},
    {"X-API-Key": KEY},
]


def mutating_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every route that changes something, from the app's own OpenAPI document: a new route is
    covered as soon as it exists (one left out of the schema would not be; none is)."""
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    return [
        (method, path)
        for path, operations in paths.items()
        for method in operations
        if method in CHANGING_METHODS and path not in PREDICTION_ROUTES
    ]


def test_every_mutating_route_answers_401_without_the_right_key(
    make_settings: Callable[..., Settings],
) -> None:
    app = create_app(make_settings(api_key=KEY))
    routes = mutating_routes(app)
    known = {"/train", "/jobs/{job_id}/cancel", "/models/{version}/activate"}
    assert known <= {path for _, path in routes}
    with TestClient(app) as client:
        for method, template in routes:
            path = re.sub(r"\{[^}]+\}", "some-id", template)
            for headers in REFUSED_HEADERS:
                refused = client.request(method, path, json={}, headers=headers)
                assert refused.status_code == 401, (method, path, headers, refused.text)
                assert "API key" in refused.json()["message"]
                assert refused.headers["www-authenticate"] == "Bearer"
            right = {"Authorization": f"Bearer {KEY}"}
            allowed = client.request(method, path, json={}, headers=right)
            assert allowed.status_code not in (401, 403), (method, path, allowed.text)
            assert allowed.status_code < 500, (method, path, allowed.text)
            documented = app.openapi()["paths"][template][method]
            assert documented["security"] == [{"HTTPBearer": []}], (method, path)
            assert "401" in documented["responses"], (method, path)
        assert client.get("/jobs").json() == []  # reading needs no key; nothing was started


READ_KEY = "read-key-0123456789abcdef"
OPEN_PATHS = {"/health", "/ready"}


def reading_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every route that reads: GET, and the prediction routes (POST, but they change nothing)."""
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    return [
        (method, path)
        for path, operations in paths.items()
        for method in operations
        if path not in OPEN_PATHS and (method == "get" or path in PREDICTION_ROUTES)
    ]


def test_with_a_read_key_every_read_needs_it_and_writes_still_need_the_api_key(
    make_settings: Callable[..., Settings],
) -> None:
    app = create_app(make_settings(api_key=KEY, read_key=READ_KEY))
    reads = reading_routes(app)
    assert {"/predict", "/predict/one", "/recommend", "/jobs", "/models", "/datasets",
            "/datasets/{name}", "/metrics"} <= {path for _, path in reads}  # fmt: skip
    with TestClient(app) as client:
        for method, template in reads:
            path = re.sub(r"\{[^}]+\}", "some-id", template)
            for headers in [{}, {"Authorization": "Bearer wrong"}, {"X-Read-Key": READ_KEY}]:
                refused = client.request(method, path, json={}, headers=headers)
                assert refused.status_code == 401, (method, path, refused.text)
                assert "read key" in refused.json()["message"]
            for key in (READ_KEY, KEY):  # the API key reads too
                allowed = client.request(method, path, json={}, headers=_bearer(key))
                assert allowed.status_code not in (401, 403), (method, path, allowed.text)
                assert allowed.status_code < 500, (method, path, allowed.text)
            documented = app.openapi()["paths"][template][method]
            assert documented["security"] == [{"HTTPBearer": []}], (method, path)
        for method, template in mutating_routes(app):  # the read key changes nothing
            path = re.sub(r"\{[^}]+\}", "some-id", template)
            refused = client.request(method, path, json={}, headers=_bearer(READ_KEY))
            assert refused.status_code == 401, (method, path, refused.text)
        for path in (*OPEN_PATHS, "/openapi.json", "/docs"):
            assert client.get(path).status_code in (200, 503), path  # 503: /ready, no model


def test_without_a_read_key_reads_are_open_and_documented_so(
    make_settings: Callable[..., Settings],
) -> None:
    app = create_app(make_settings(api_key=KEY))
    with TestClient(app) as client:
        assert client.get("/datasets").status_code == 200
        assert client.get("/metrics").status_code == 200
    for method, template in reading_routes(app):
        assert "security" not in app.openapi()["paths"][template][method], (method, template)


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


# --- Names that cannot leave their folders ---------------------------------------------------

DATASET_NAMES_LEAVING = [
    "../outside",
    "..",
    ".",
    "/etc",
    "a/../../b",
    "tiny/../../outside",
    "..%2Foutside",
    "%2e%2e%2foutside",
    "%2e%2e",
    "..\\outside",
    "a\\..\\..\\b",
    "C:\\Windows",
    ".hidden",
    "x\x00y",
]


def test_dataset_names_that_leave_the_data_folder_are_422_naming_the_field(
    make_settings: Callable[..., Settings], tmp_path: Path, trained_data: Path
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "outside").symlink_to(trained_data)  # a real data set, one `..` away
    with TestClient(create_app(make_settings(data_dir=tmp_path / "data"))) as client:
        for name in DATASET_NAMES_LEAVING:
            response = client.post("/train", json={"dataset": name})
            assert response.status_code == 422, (name, response.text)
            assert response.json()["message"].startswith("dataset"), (name, response.text)
        assert client.get("/jobs").json() == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["jobs", "submit", "train", "--dataset", "a/../../b"], "must be a plain name"),
        (["jobs", "submit", "sweep", "--dataset", ".."], "must be a plain name"),
        (["jobs", "submit", "train", "--dataset", "/etc"], "must be a plain name"),
        (
            ["jobs", "submit", "score", "--dataset", "tiny", "--input", "../../etc/passwd"],
            "input: '../../etc/passwd' must be a plain name",
        ),
        (["models", "activate", "../../etc"], "no registered model version '../../etc'"),
    ],
)
def test_cli_names_that_leave_their_folder_are_one_line_errors(
    embedded_env: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
    assert main(["jobs", "list"]) == 0 and capsys.readouterr().out == ""


# `encore serve` as it runs in the stack, for what a test client would tidy up first: raw
# request paths, and what the process writes to its log.
SERVER_KEY = secrets.token_hex(16)
DB_PASSWORD = "pw-" + secrets.token_hex(12)
SENTINEL = b"outside the artifacts folder " + secrets.token_hex(8).encode()


@dataclass(frozen=True)
class Answer:
    status: int
    kind: str
    body: bytes
    location: str


@dataclass(frozen=True)
class Served:
    server: ApiServer
    settings: Settings
    version: str

    def request(self, method: str, path: str, key: str | None = None) -> Answer:
        """Send `path` exactly as written (no client-side normalising or quoting)."""
        address = urlsplit(self.server.client.base_url)
        connection = http.client.HTTPConnection(str(address.hostname), address.port, timeout=10)
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        try:
            connection.request(method, path, headers=headers)
            response = connection.getresponse()
            kind, location = response.getheader("content-type"), response.getheader("location")
            return Answer(response.status, kind or "", response.read(), location or "")
        finally:
            connection.close()


@pytest.fixture(scope="module")
def served(
    data_root: Path, versions: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """RQ mode, a key, a database URL with a password, a version serving, and files that a
    path escaping the version folder would reach."""
    folder = tmp_path_factory.mktemp("served")
    with fresh_database() as url:
        url = make_url(url).set(password=DB_PASSWORD).render_as_string(hide_password=False)
        upgrade(url)
        settings = service_settings(url, REDIS, data_root, folder / "artifacts")
        version = ModelRegistry(url).register(versions[0]).version
        settings.artifacts_dir.mkdir()
        for planted in (folder / "curves.png", settings.artifacts_dir / "curves.png"):
            planted.write_bytes(SENTINEL)
        env = {**settings_env(settings), "ENCORE_API_KEY": SERVER_KEY}
        server = ApiServer(env, folder / "api.log")
        served = Served(server, settings, version)
        try:
            wait_until(lambda: served.request("GET", "/ready").status == 200, "the API ready")
            yield served
        finally:
            server.stop()


VERSIONS_LEAVING = [
    "..",
    "%2e%2e",
    ".%2E",
    "..%2F..",
    "..%2f..%2f..%2fcurves.png",
    "%2e%2e%2f%2e%2e",
    "..%5C..",
    "a%2Fb",
    "a%5Cb",
    "%252e%252e%252f",
    "....%2F%2F",
    "..;",
]


def test_version_names_that_leave_the_artifacts_folder_serve_nothing(served: Served) -> None:
    curves = served.request("GET", f"/models/{served.version}/curves.png")
    assert (curves.status, curves.kind, curves.body[:4]) == (200, "image/png", b"\x89PNG")
    for version in VERSIONS_LEAVING:
        for method, path in (
            ("GET", f"/models/{version}"),
            ("GET", f"/models/{version}/curves.png"),
            ("POST", f"/models/{version}/activate"),
        ):
            answer = served.request(method, path, key=SERVER_KEY)
            if answer.status in (307, 308):  # a trailing slash dropped: where it leads counts
                target = urlsplit(answer.location).path
                assert target.startswith("/models/"), (path, answer)
                answer = served.request(method, target, key=SERVER_KEY)
            assert answer.status in (404, 422), (method, path, answer)
            assert answer.kind == "application/json", (method, path, answer)
            assert SENTINEL not in answer.body, (method, path)


DATASETS_LEAVING = [*VERSIONS_LEAVING, ".uploads", "%2Euploads", "tiny%2F..%2F..", "%00"]


def test_dataset_names_that_leave_the_data_folder_touch_nothing(served: Served) -> None:
    data_dir = served.settings.data_dir
    before = sorted(p.name for p in data_dir.parent.rglob("*"))
    for name in DATASETS_LEAVING:
        for method in ("GET", "PUT", "DELETE"):
            answer = served.request(method, f"/datasets/{name}", key=SERVER_KEY)
            if answer.status in (307, 308):  # a trailing slash dropped: where it leads counts
                target = urlsplit(answer.location).path
                assert target.startswith("/datasets"), (name, answer)
                answer = served.request(method, target, key=SERVER_KEY)
            assert answer.status in (404, 405, 422), (method, name, answer)
            assert answer.kind == "application/json", (method, name, answer)
    assert sorted(p.name for p in data_dir.parent.rglob("*")) == before
    assert (data_dir / "tiny" / "train.csv").is_file()


def test_logs_hold_neither_the_api_key_nor_the_database_password(served: Served) -> None:
    answers = [
        served.request("POST", "/train"),
        served.request("POST", "/train", key="wrong-" + SERVER_KEY[:8]),
        served.request("POST", "/train", key=SERVER_KEY),
        served.request("POST", "/jobs/nope/cancel", key=SERVER_KEY),
        served.request("POST", "/models/nope/activate", key=SERVER_KEY),
        served.request("GET", "/ready"),
        served.request("GET", "/metrics"),
    ]
    assert [answer.status for answer in answers] == [401, 401, 422, 404, 404, 200, 200]
    # Recorded and queued directly: submitting refuses an unknown version at once, and the
    # worker's failure is what this test reads.
    service = JobService.from_settings(served.settings)
    job = service.store.create("score", {"dataset": "tiny", "model_version": "nope"})
    service.transport.submit(job.id)
    worker_output, _ = start_worker(served.settings).communicate(timeout=120)
    served.request("GET", "/jobs?limit=7")
    api_log = _log_once_it_shows(served.server.log, "/jobs?limit=7")

    messages = "\n".join(json.loads(line)["message"] for line in api_log.splitlines())
    assert '"POST /train HTTP/1.1" 401' in messages  # the log (JSON lines) records requests
    assert "no registered model version 'nope'" in worker_output  # and the worker's failures
    written = api_log + worker_output + "".join(answer.body.decode() for answer in answers)
    for secret in (SERVER_KEY, DB_PASSWORD):
        assert secret not in written


def _log_once_it_shows(log: Path, text: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while text not in (content := log.read_text(errors="replace")):
        assert time.monotonic() < deadline, f"{text!r} never reached the log:\n{content[-2000:]}"
        time.sleep(0.1)
    return content


# --- Weights loaded without running their code -----------------------------------------------


class _MakesFolder:
    """What a hostile pickle can do when it is loaded: run any call; here, make a folder."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (str(self.target),))


HOSTILE_WRITERS: dict[str, Callable[[object, Path], object]] = {
    "torch.save": lambda payload, path: torch.save({"embedding.weight": payload}, path),
    # torch.load's own legacy format is a bare pickle of protocol 2.
    "plain pickle": lambda payload, path: path.write_bytes(pickle.dumps(payload, protocol=2)),
}


@pytest.mark.parametrize("writer", HOSTILE_WRITERS)
def test_weights_that_would_run_code_are_refused_at_activation_without_running_it(
    make_client: Callable[..., TestClient], versions: list[Path], tmp_path: Path, writer: str
) -> None:
    proof = tmp_path / "proof"
    pickle.loads(pickle.dumps(_MakesFolder(proof)))
    assert proof.is_dir(), "the payload is live: plain unpickling runs it"
    marker = tmp_path / "marker"
    client = make_client(register=1)  # versions[0] active and serving
    hostile = tmp_path / "hostile" / versions[1].name
    shutil.copytree(versions[1], hostile)
    HOSTILE_WRITERS[writer](_MakesFolder(marker), hostile / "weights.pt")
    _rewrite_manifest_digests(hostile)  # as whoever could write the file could
    settings: Settings = client.app.state.encore.settings  # type: ignore[attr-defined]
    ModelRegistry(settings.records_url()).register(hostile)

    response = client.post(f"/models/{hostile.name}/activate")
    assert response.status_code == 422, response.text
    assert "weights.pt cannot be loaded" in response.json()["message"]
    assert not marker.exists()
    served = client.post("/predict/one", json={"msno": "a", "song_id": "b"})
    assert served.status_code == 200 and served.json()["model_version"] == versions[0].name
