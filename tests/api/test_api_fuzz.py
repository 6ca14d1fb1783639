"""Generated requests over every endpoint (schemathesis): never a 5xx, and every answer
matches its documented status codes, content type and schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis

from tests.api.conftest import KEY
from tests.fuzzing import fuzz

EXAMPLES_PER_OPERATION = 80


def test_generated_requests_get_documented_answers(
    make_client: Any, trained_data: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"  # its own: a generated DELETE must not touch other tests' sets
    data.mkdir()
    (data / "tiny").symlink_to(trained_data)
    client = make_client(register=2, api_key=KEY, data_dir=data)
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    report = fuzz(schema, EXAMPLES_PER_OPERATION, {"Authorization": f"Bearer {KEY}"})
    assert report.failures == []
    assert report.operations >= 18
    assert {"PUT /datasets/{name}", "GET /datasets", "DELETE /datasets/{name}"} <= set(
        report.cases
    )
    assert report.total >= 1_400
    assert len(report.cases) == report.operations, "an operation got no case"
    assert (trained_data / "train.csv").is_file()
