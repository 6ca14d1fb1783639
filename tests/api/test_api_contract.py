"""What the OpenAPI document promises: every /train parameter, and for every route exactly
the errors it can give, each with a description and an example; and answers that name data
sets and versions, never the server's paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from encore.model import ModelConfig
from encore.model.config import PARAMS

RECORDS_ROUTES = [
    ("post", "/train"),
    ("get", "/jobs"),
    ("get", "/jobs/{job_id}"),
    ("post", "/jobs/{job_id}/cancel"),
    ("get", "/models"),
    ("get", "/models/{version}"),
    ("get", "/models/{version}/curves.png"),
    ("post", "/models/{version}/activate"),
]


@pytest.fixture(scope="module")
def document(versions: list[Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from encore.settings import Settings
    from encore_api.app import create_app

    folder = tmp_path_factory.mktemp("contract")
    settings = Settings(data_dir=folder, artifacts_dir=folder, database_url=None, redis_url=None)
    return dict(create_app(settings).openapi())


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def test_train_params_list_every_key_with_its_type_limits_and_default(
    document: dict[str, Any],
) -> None:
    """`params` was a free-form object: nothing said which keys were valid."""
    params = document["components"]["schemas"]["TrainParams"]["properties"]["params"]
    assert params["additionalProperties"] is False
    assert set(params["properties"]) == {param.name for param in PARAMS}
    defaults = ModelConfig().to_dict()
    for name, spec in params["properties"].items():
        assert spec["default"] == defaults[name] and spec["description"], name
        assert spec["type"] in ("integer", "number", "array", "string", "boolean"), name
    dropout = params["properties"]["dropout"]
    assert (dropout["minimum"], dropout["exclusiveMaximum"]) == (0, 1)


def test_only_routes_that_read_a_body_document_a_400(document: dict[str, Any]) -> None:
    for method, path, operation in _operations(document):
        reads_body = "requestBody" in operation
        assert ("400" in operation["responses"]) == reads_body, (method, path)


def test_only_routes_with_parameters_or_a_body_document_a_422(document: dict[str, Any]) -> None:
    for method, path, operation in _operations(document):
        takes_input = "requestBody" in operation or any(
            p["in"] in ("query", "path") and p.get("schema", {}) != {"type": "string"}
            for p in operation.get("parameters", [])
        )
        if "422" in operation["responses"]:
            assert takes_input, (method, path)


@pytest.mark.parametrize(("method", "path"), RECORDS_ROUTES)
def test_routes_that_need_the_records_document_their_503(
    document: dict[str, Any], method: str, path: str
) -> None:
    unavailable = document["paths"][path][method]["responses"]["503"]
    assert "unavailable" in unavailable["description"]
    assert unavailable["content"]["application/json"]["example"]["message"]


def test_every_error_answer_has_a_description_and_an_example(document: dict[str, Any]) -> None:
    for method, path, operation in _operations(document):
        for status, answer in operation["responses"].items():
            if status.startswith(("4", "5")):
                assert answer.get("description"), (method, path, status)
                content = answer.get("content", {}).get("application/json", {})
                assert "example" in content, (method, path, status)


def test_an_unknown_dataset_is_named_without_the_servers_folder(
    client: TestClient, data_root: Path
) -> None:
    answer = client.post("/train", json={"dataset": "nope"})
    assert answer.status_code == 422
    message = answer.json()["message"]
    assert "dataset 'nope'" in message and "tiny" in message, message
    assert str(data_root.resolve()) not in message and "/" not in message.split(":", 1)[1]


def test_a_version_is_shown_without_the_training_hosts_paths(
    client: TestClient, versions: list[Path]
) -> None:
    version = versions[0].name
    manifest = client.get(f"/models/{version}").json()["manifest"]
    shown = str(manifest)
    assert str(versions[0].parent) not in shown and "/tmp/" not in shown
    assert manifest["dataset"] and all(
        "path" not in f for f in manifest["data_fingerprint"]["files"]
    )
