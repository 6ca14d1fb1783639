"""Training control over HTTP in embedded mode: POST /train, follow the job, cancel (the key
these need: tests/security)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

QUICK = {"max_epochs": 2, "batch_size": 256, "hidden": [32, 16], "embedding_dim": 8}
ENDLESS = {**QUICK, "max_epochs": 100, "early_stopping_patience": 100, "batch_size": 64}


def _follow(client: TestClient, location: str, until: Any, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(location).json()
        if until(job):
            return job
        time.sleep(0.2)
    raise AssertionError(f"{location} never got there: {client.get(location).json()}")


def test_train_queues_a_job_that_ends_with_a_registered_version(make_client: Any) -> None:
    client = make_client(register=0)
    response = client.post("/train", json={"dataset": "tiny", "params": QUICK})
    assert response.status_code == 202, response.text
    job_id = response.json()["job_id"]
    assert response.headers["location"] == f"/jobs/{job_id}"
    job = _follow(client, response.headers["location"], lambda j: j["status"] == "succeeded")
    assert [epoch["epoch"] for epoch in job["epochs"]] == [1, 2]
    assert job["stage"] == "done" and job["model_version"]
    # Which epoch was kept and whether training stopped early, and the kept epoch's metrics
    # (the version's), not the last epoch's.
    result = job["result"]
    assert (result["epochs_run"], result["stopped_early"]) == (2, False)
    assert job["metrics"]["epoch"] == result["kept_epoch"] == result["metrics"]["epoch"]
    assert "path" not in result, "answers name versions, not the server's folders"
    listed = client.get("/jobs").json()
    assert [j["id"] for j in listed] == [job_id]
    log = [line["message"] for line in client.get(f"/jobs/{job_id}/log").json()]
    assert log[0].startswith("train started on ") and "stage: training" in log
    assert [line for line in log if line.startswith("epoch ")][1].startswith("epoch 2 of at most 2")
    assert log[-1] == f"succeeded: version {job['model_version']}"
    assert client.get(f"/jobs/{job_id}/figure.png").status_code == 404, "a train job has none"
    # The first version activates itself, and the API picks it up without a restart.
    deadline = time.monotonic() + 10
    while client.post("/predict/one", json={"msno": "a", "song_id": "b"}).status_code != 200:
        assert time.monotonic() < deadline, "the new version never started serving"
        time.sleep(0.2)
    served = client.post("/predict/one", json={"msno": "a", "song_id": "b"}).json()
    assert served["model_version"] == job["model_version"]


def test_a_sweep_ends_with_its_figure(client: TestClient) -> None:
    body = {"dataset": "tiny", "learning_rates": [0.01, 0.001], "params": QUICK}
    response = client.post("/sweep", json=body)
    assert response.status_code == 202, response.text
    location = response.headers["location"]
    job = _follow(client, location, lambda j: j["status"] not in ("queued", "running"))
    assert job["status"] == "succeeded", job
    assert {epoch["run"] for epoch in job["epochs"]} == {0, 1}
    figure = client.get(f"{location}/figure.png")
    assert figure.status_code == 200 and figure.content.startswith(b"\x89PNG")
    assert figure.headers["content-type"] == "image/png"
    assert client.get("/jobs/no-such-job/figure.png").status_code == 404
    assert client.get("/jobs/no-such-job/log").status_code == 404


def test_cancel_stops_a_running_job(client: TestClient) -> None:
    location = client.post("/train", json={"dataset": "tiny", "params": ENDLESS}).headers[
        "location"
    ]
    _follow(client, location, lambda j: (j["epoch"] or 0) >= 1)
    response = client.post(f"{location}/cancel")
    assert response.status_code == 200 and response.json()["cancel_requested"]
    job = _follow(client, location, lambda j: j["status"] != "running", timeout=30)
    assert job["status"] == "cancelled"
    again = client.post(f"{location}/cancel")
    assert again.status_code == 409 and "already ended (cancelled)" in again.json()["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"dataset": "../etc"}, "dataset: Value error, '../etc' must be a plain name"),
        ({"dataset": "/tmp"}, "must be a plain name"),
        ({"dataset": "nope"}, "dataset 'nope': no such folder"),
        # Longer than a file name may be (found by bench/bench_fuzz.py: it was a 500).
        ({"dataset": "x" * 256}, "dataset: String should have at most 255 characters"),
        ({"dataset": "é" * 128}, "dataset: Value error, a name of at most 255 bytes"),
        ({"dataset": "tiny", "preset": "best"}, "preset: Input should be 'default' or 'seed'"),
        ({"dataset": "tiny", "params": {"dropout": 3}}, "dropout must be a number in [0, 1)"),
        ({"dataset": "tiny", "params": {"colour": 1}}, "unknown parameter 'colour'"),
        ({"dataset": "tiny", "extra": 1}, "extra: Extra inputs are not permitted"),
    ],
)
def test_bad_training_requests_are_422_naming_the_problem(
    client: TestClient, body: dict[str, Any], message: str
) -> None:
    response = client.post("/train", json=body)
    assert response.status_code == 422
    assert message in response.json()["message"]
    assert client.get("/jobs").json() == []


def test_unknown_jobs_are_404(client: TestClient) -> None:
    assert client.get("/jobs/nope").status_code == 404
    assert client.post("/jobs/nope/cancel").status_code == 404
    assert client.get("/jobs?status=lost").status_code == 422


def test_a_training_request_is_validated_once(client: TestClient, monkeypatch: Any) -> None:
    """The route validated the body, then the job service validated the same parameters again."""
    from encore.jobs import params, service

    calls: list[str] = []

    def counted(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
        calls.append(kind)
        return params.validate(kind, raw)

    monkeypatch.setattr(service, "validate", counted)
    assert client.post("/train", json={"dataset": "tiny", "params": QUICK}).status_code == 202
    assert calls == []
