"""Health, readiness, metrics and the OpenAPI document."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from encore_api.commands.serve import choose_host

ROUTES = {
    "/predict",
    "/predict/one",
    "/recommend",
    "/train",
    "/jobs",
    "/jobs/{job_id}",
    "/jobs/{job_id}/cancel",
    "/models",
    "/models/{version}",
    "/models/{version}/curves.png",
    "/models/{version}/activate",
    "/health",
    "/ready",
    "/metrics",
}


def test_health_and_readiness(make_client: Any) -> None:
    empty = make_client(register=0)
    assert empty.get("/health").json() == {"status": "ok"}
    not_ready = empty.get("/ready")
    assert not_ready.status_code == 503
    assert not_ready.json() == {"ready": False, "model_version": None, "database": "ok"}
    ready = make_client(register=1).get("/ready")
    assert ready.status_code == 200 and ready.json()["ready"] is True


def test_metrics_count_requests_rows_and_jobs(client: TestClient) -> None:
    client.post("/predict", json={"rows": [{"msno": "a", "song_id": "b"}] * 3})
    client.post("/predict/one", json={"msno": "a", "song_id": "x", "bd": "old"})
    text = client.get("/metrics").text
    assert 'encore_http_requests_total{method="POST",route="/predict",status="200"} 1.0' in text
    assert 'encore_http_requests_total{method="POST",route="/predict/one",status="422"} 1.0' in text
    assert "encore_rows_predicted_total 3.0" in text
    assert 'encore_model_serving{version="' in text
    assert 'encore_jobs{status="queued"} 0.0' in text
    assert 'encore_http_request_seconds_bucket{le="0.01",method="POST",route="/predict"}' in text


def test_openapi_documents_every_route_and_field(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert set(schema["paths"]) >= ROUTES
    row = schema["components"]["schemas"]["Row"]
    assert row["examples"] and all(p.get("description") for p in row["properties"].values())
    for name in ("PredictRequest", "RecommendRequest", "TrainParams"):
        assert schema["components"]["schemas"][name].get("examples"), name
    assert client.get("/docs").status_code == 200


def test_without_a_key_the_api_stays_on_loopback() -> None:
    assert choose_host(None, has_key=False) == "127.0.0.1"
    assert choose_host("0.0.0.0", has_key=True) == "0.0.0.0"
    assert choose_host(None, has_key=True) == "0.0.0.0"
    try:
        choose_host("0.0.0.0", has_key=False)
    except Exception as exc:
        assert "without ENCORE_API_KEY" in str(exc)
    else:
        raise AssertionError("listening on every address without a key was allowed")


def test_every_field_of_every_body_is_described(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    ours = {name: s for name, s in schemas.items() if "ValidationError" not in name}
    undocumented = [
        f"{name}.{field}"
        for name, schema in ours.items()
        for field, spec in schema.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert undocumented == []


def test_request_and_answer_bodies_carry_examples(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for name in ("PredictResponse", "OneResponse", "RecommendResponse", "JobAccepted"):
        assert schemas[name].get("examples"), name


def test_serve_on_a_port_in_use_is_one_line_naming_the_port(
    monkeypatch: Any, capsys: Any, tmp_path: Any
) -> None:
    """It printed a start line, then uvicorn's `[Errno 98]`, and exited 3."""
    import socket

    from encore.cli import main
    from encore.settings import get_settings
    from encore_api.client import free_port

    for name in ("DATABASE_URL", "REDIS_URL", "ENCORE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ENCORE_ARTIFACTS_DIR", str(tmp_path))
    get_settings.cache_clear()
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        code = main(["serve", "--port", str(port)])
    get_settings.cache_clear()
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err == (
        f"encore serve: error: port {port} on 127.0.0.1 is already in use: stop what listens "
        "there, or choose another with --port\n"
    )
