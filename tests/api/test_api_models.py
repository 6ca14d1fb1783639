"""The registry over HTTP, and swapping the answering version under load."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

ROW = {"msno": "listener", "song_id": "song"}


def test_models_list_detail_and_curves(make_client: Any, versions: list[Path]) -> None:
    client = make_client(register=2)
    listed = client.get("/models").json()
    assert [m["version"] for m in listed] == [v.name for v in versions]
    assert [m["active"] for m in listed] == [True, False]
    assert [m["serving"] for m in listed] == [True, False]
    cold_start = listed[0]["metrics"]["cold_start"]
    assert {"user_unseen", "song_unseen", "both_unseen"} <= set(cold_start)
    assert cold_start["user_seen"]["rows"] + cold_start["user_unseen"]["rows"] > 0
    detail = client.get(f"/models/{versions[1].name}").json()
    assert detail["manifest"]["version"] == versions[1].name
    assert "final_metrics" in detail["manifest"] and "path" not in detail
    curves = client.get(detail["curves_url"])
    assert curves.status_code == 200 and curves.headers["content-type"] == "image/png"
    assert curves.content.startswith(b"\x89PNG")


def test_activating_rolls_the_answering_version(make_client: Any, versions: list[Path]) -> None:
    client = make_client(register=2)
    before = client.post("/predict/one", json=ROW).json()["model_version"]
    response = client.post(f"/models/{versions[1].name}/activate")
    assert response.status_code == 200 and response.json()["serving"]
    after = client.post("/predict/one", json=ROW).json()["model_version"]
    assert (before, after) == (versions[0].name, versions[1].name)
    client.post(f"/models/{versions[0].name}/activate")
    assert client.post("/predict/one", json=ROW).json()["model_version"] == versions[0].name


def test_a_corrupt_version_is_refused_and_the_active_one_keeps_answering(
    make_client: Any, versions: list[Path], tmp_path: Path
) -> None:
    client = make_client(register=1)
    state = client.app.state.encore
    broken = tmp_path / versions[1].name
    broken.mkdir()
    for file in versions[1].rglob("*"):
        target = broken / file.relative_to(versions[1])
        if file.is_dir():
            target.mkdir(exist_ok=True)
        else:
            target.write_bytes(file.read_bytes())
    weights = broken / "weights.pt"
    weights.write_bytes(weights.read_bytes()[:200])
    state.registry.register(broken)
    response = client.post(f"/models/{versions[1].name}/activate")
    assert response.status_code == 422
    assert "weights.pt differs from its manifest" in response.json()["message"]
    assert client.post("/predict/one", json=ROW).json()["model_version"] == versions[0].name


def test_unknown_and_malformed_versions(client: TestClient) -> None:
    assert client.get("/models/20990101T000000Z-ffff").status_code == 404
    assert client.post("/models/nope/activate").status_code == 404
    assert client.get("/models/..%2F..%2Fetc").status_code in (404, 422)
    assert client.get("/models/a b").status_code == 422


def test_no_request_fails_while_versions_swap(make_client: Any, versions: list[Path]) -> None:
    client = make_client(register=2)
    failures: list[int] = []
    seen: set[str] = set()
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            response = client.post("/predict/one", json=ROW)
            if response.status_code != 200:
                failures.append(response.status_code)
            else:
                seen.add(response.json()["model_version"])

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for version in [versions[1], versions[0]] * 3:
        assert client.post(f"/models/{version.name}/activate").status_code == 200
    stop.set()
    for thread in threads:
        thread.join()
    assert failures == []
    assert seen == {versions[0].name, versions[1].name}
