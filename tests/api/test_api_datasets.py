"""Data sets through the API: an upload is validated by the ingest before it appears, a bad,
oversized or interrupted one leaves nothing, names stay inside the data folder, and a data set
a job uses cannot be deleted."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import encore.datasets.room as room
from encore.datasets.check import check_dataset
from encore.datasets.store import UPLOADS
from encore.jobs import JobStore
from encore.settings import Settings
from tests.api.conftest import KEY
from tests.datasets.archives import bad_members_csv, files_of, tar_of, zip_of
from tests.faults.servers import ApiServer, wait_until
from tests.services import settings_env

AUTH = {"Authorization": f"Bearer {KEY}"}
WAIT = "?wait=60"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def client(make_client: Callable[..., TestClient], data_dir: Path) -> TestClient:
    return make_client(api_key=KEY, data_dir=data_dir)


@pytest.fixture(scope="session")
def upload(trained_data: Path) -> bytes:
    return tar_of(files_of(trained_data))


def _left_behind(data_dir: Path) -> list[str]:
    """Everything in the data folder: data sets and unfinished uploads."""
    if not data_dir.is_dir():
        return []
    uploads = data_dir / UPLOADS
    staged = [f"{UPLOADS}/{p.name}" for p in uploads.iterdir()] if uploads.is_dir() else []
    return sorted([p.name for p in data_dir.iterdir() if p.name != UPLOADS] + staged)


def _jobs(client: TestClient) -> list[dict[str, Any]]:
    jobs: list[dict[str, Any]] = client.get("/jobs").json()
    return jobs


def test_a_valid_upload_is_imported_with_its_profile_and_can_be_trained_on(
    client: TestClient, upload: bytes, trained_data: Path, data_dir: Path
) -> None:
    response = client.put(f"/datasets/kkbox{WAIT}", content=upload, headers=AUTH)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == "/datasets/kkbox"
    body = response.json()
    assert body["profile"] == check_dataset(trained_data)  # what `encore inspect` shows
    assert body["files"] == {name: len(data) for name, data in files_of(trained_data).items()}
    assert body["job_id"] == _jobs(client)[0]["id"] and body["imported_at"]
    assert client.get("/datasets/kkbox").json() == body
    listed = client.get("/datasets").json()
    assert [d["name"] for d in listed] == ["kkbox"] and "profile" not in listed[0]
    assert _left_behind(data_dir) == ["kkbox"]
    train = client.post("/train", json={"dataset": "kkbox"}, headers=AUTH)
    assert train.status_code == 202, train.text


def test_without_wait_the_upload_answers_with_its_job_and_the_job_publishes_it(
    client: TestClient, trained_data: Path
) -> None:
    response = client.put("/datasets/zipped", content=zip_of(files_of(trained_data)), headers=AUTH)
    assert response.status_code == 202, response.text
    job_id = response.json()["job_id"]
    assert response.json() == {"job_id": job_id, "status": "queued", "dataset": "zipped"}
    assert response.headers["location"] == f"/jobs/{job_id}"
    wait_until(lambda: client.get(f"/jobs/{job_id}").json()["status"] == "succeeded", "import")
    job = client.get(f"/jobs/{job_id}").json()
    assert job["kind"] == "import" and job["result"]["dataset"]["name"] == "zipped"
    assert client.get("/datasets/zipped").json()["profile"] is not None


def test_an_invalid_file_is_refused_with_the_ingest_message_and_nothing_is_left(
    client: TestClient, trained_data: Path, data_dir: Path
) -> None:
    members, where = bad_members_csv(trained_data)
    spoiled = tar_of(files_of(trained_data, {"members.csv": members}))
    response = client.put(f"/datasets/kkbox{WAIT}", content=spoiled, headers=AUTH)
    assert response.status_code == 422, response.text
    assert response.json()["message"].startswith(f"{where}: 'abc'")
    assert client.get("/datasets/kkbox").status_code == 404
    assert client.get("/datasets").json() == []
    assert _left_behind(data_dir) == []
    assert _jobs(client)[0]["status"] == "failed"
    assert _jobs(client)[0]["error"] == response.json()["message"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (lambda folder: files_of(folder, without=("songs.csv",)), "songs.csv: not in the upload"),
        (
            lambda folder: files_of(folder, without=("train.csv", "test.csv")),
            "train.csv: not in the upload: a data set needs songs.csv and members.csv, with "
            "train.csv to train on or test.csv to score",
        ),
        (lambda folder: files_of(folder, {"notes.txt": b"hi"}), "notes.txt: not a file of a"),
    ],
    ids=["no-songs", "no-plays", "stranger"],
)
def test_an_incomplete_or_strange_data_set_is_refused_saying_what_is_wrong(
    client: TestClient, trained_data: Path, data_dir: Path, files: Any, message: str
) -> None:
    response = client.put(f"/datasets/x{WAIT}", content=tar_of(files(trained_data)), headers=AUTH)
    assert response.status_code == 422 and response.json()["message"].startswith(message)
    assert _left_behind(data_dir) == []


def test_a_body_that_is_no_archive_is_refused_before_a_job_is_queued(
    client: TestClient, trained_data: Path, data_dir: Path
) -> None:
    csv = (trained_data / "train.csv").read_bytes()
    response = client.put("/datasets/kkbox", content=csv, headers=AUTH)
    assert response.status_code == 422
    assert "not a tar or zip archive" in response.json()["message"]
    empty = client.put("/datasets/kkbox", content=b"", headers=AUTH)
    assert empty.status_code == 422 and "the upload is empty" in empty.json()["message"]
    assert _jobs(client) == [] and _left_behind(data_dir) == []


def test_an_upload_over_the_limit_is_refused_whether_declared_streamed_or_unpacked(
    make_client: Callable[..., TestClient], upload: bytes, data_dir: Path
) -> None:
    limit = len(upload) - 1
    client = make_client(api_key=KEY, data_dir=data_dir, max_upload_bytes=limit)
    declared = client.put("/datasets/big", content=upload, headers=AUTH)
    assert declared.status_code == 413
    assert declared.json()["message"] == (
        f"the upload larger than {limit:,} bytes (ENCORE_MAX_UPLOAD_BYTES)"
    )

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        for start in range(0, len(upload), 4096):
            yield upload[start : start + 4096]

    streamed = client.put("/datasets/big", content=chunks(), headers=AUTH)
    assert streamed.status_code == 413, streamed.text
    bomb = tar_of({"train.csv": b"0" * (limit * 50)})
    assert len(bomb) < limit
    unpacked = client.put(f"/datasets/big{WAIT}", content=bomb, headers=AUTH)
    assert unpacked.status_code == 422
    assert "once unpacked larger than" in unpacked.json()["message"]
    assert _left_behind(data_dir) == [] and client.get("/datasets").json() == []


def test_an_upload_that_would_fill_the_disk_is_refused(
    client: TestClient, upload: bytes, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(room, "free_bytes", lambda _: room.RESERVE_BYTES + len(upload) // 2)
    response = client.put("/datasets/kkbox", content=upload, headers=AUTH)
    assert response.status_code == 507
    assert "not enough free space" in response.json()["message"]
    assert _left_behind(data_dir) == [] and _jobs(client) == []


@pytest.mark.parametrize(
    "name", [".hidden", ".uploads", "a\\..\\b", "%2e%2e%5coutside", "x%00y", "C:\\Windows"]
)
def test_names_that_are_not_plain_are_refused_for_every_method(
    client: TestClient, upload: bytes, data_dir: Path, name: str
) -> None:
    put = client.put(f"/datasets/{name}", content=upload, headers=AUTH)
    assert put.status_code == 422 and put.json()["message"].startswith("name: "), put.text
    assert client.get(f"/datasets/{name}").status_code == 422
    assert client.delete(f"/datasets/{name}", headers=AUTH).status_code == 422
    assert _left_behind(data_dir) == []


def test_a_name_taken_or_being_imported_is_refused_before_the_body_is_read(
    client: TestClient, upload: bytes, data_dir: Path
) -> None:
    assert client.put(f"/datasets/kkbox{WAIT}", content=upload, headers=AUTH).status_code == 201
    again = client.put("/datasets/kkbox", content=upload, headers=AUTH)
    assert again.status_code == 409 and "exists already" in again.json()["message"]
    store = JobStore(client.app.state.encore.settings.records_url())  # type: ignore[attr-defined]
    importing = store.create("import", {"dataset": "other", "upload": "upload-x"})
    store.claim(importing.id, "worker@elsewhere.1", 1)
    busy = client.put("/datasets/other", content=upload, headers=AUTH)
    assert busy.status_code == 409 and importing.id in busy.json()["message"]
    assert _left_behind(data_dir) == ["kkbox"]


def test_a_data_set_a_job_uses_cannot_be_deleted_until_the_job_ends(
    client: TestClient, upload: bytes, data_dir: Path
) -> None:
    assert client.put(f"/datasets/kkbox{WAIT}", content=upload, headers=AUTH).status_code == 201
    store = JobStore(client.app.state.encore.settings.records_url())  # type: ignore[attr-defined]
    job = store.create("train", {"dataset": "kkbox", "preset": "default", "params": {}})
    store.claim(job.id, "worker@elsewhere.1", 1)  # running on some worker
    refused = client.delete("/datasets/kkbox", headers=AUTH)
    assert refused.status_code == 409 and job.id in refused.json()["message"]
    assert client.get("/datasets/kkbox").json()["profile"] is not None
    store.fail(job.id, "stopped")
    deleted = client.delete("/datasets/kkbox", headers=AUTH)
    assert deleted.status_code == 204 and deleted.content == b""
    assert client.get("/datasets/kkbox").status_code == 404
    assert client.delete("/datasets/kkbox", headers=AUTH).status_code == 404
    assert _left_behind(data_dir) == []
    gone = client.post("/train", json={"dataset": "kkbox"}, headers=AUTH)
    assert gone.status_code == 422 and "no such folder" in gone.json()["message"]


def test_uploading_and_deleting_need_the_key_reading_does_not(
    client: TestClient, upload: bytes, data_dir: Path
) -> None:
    assert client.put("/datasets/kkbox", content=upload).status_code == 401
    assert client.delete("/datasets/kkbox").status_code == 401
    assert client.get("/datasets").status_code == 200
    assert _left_behind(data_dir) == []


def test_an_interrupted_upload_leaves_nothing_and_the_api_carries_on(
    upload: bytes, tmp_path: Path
) -> None:
    """A real server and a client that sends half its declared body, then hangs up."""
    data = tmp_path / "data"
    settings = Settings(
        data_dir=data, artifacts_dir=tmp_path / "artifacts", database_url=None, redis_url=None
    )
    env = settings_env(settings)
    server = ApiServer({**env, "ENCORE_API_KEY": KEY}, tmp_path / "api.log")
    try:
        port = int(server.client.base_url.rsplit(":", 1)[1])
        declared = 10 * len(upload)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(
                b"PUT /datasets/cut HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + f"Authorization: Bearer {KEY}\r\nContent-Length: {declared}\r\n\r\n".encode()
                + upload
            )
            wait_until(lambda: bool(_left_behind(data)), "the upload being staged", 30)
        wait_until(lambda: _left_behind(data) == [], "the staging folder removed", 30)
        assert server.client.get("/datasets") == (200, [])
        assert server.client.get("/jobs") == (200, [])
        assert "interrupted by the client" in (tmp_path / "api.log").read_text()
    finally:
        server.stop()

