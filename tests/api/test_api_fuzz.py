"""Generated requests over every endpoint (schemathesis): never a 5xx, and every answer
matches its documented status codes, content type and schema."""

from __future__ import annotations

from typing import Any

import schemathesis

from tests.api.conftest import KEY
from tests.fuzzing import fuzz

EXAMPLES_PER_OPERATION = 80


def test_generated_requests_get_documented_answers(make_client: Any) -> None:
    client = make_client(register=2, api_key=KEY)
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    report = fuzz(schema, EXAMPLES_PER_OPERATION, {"Authorization": f"Bearer {KEY}"})
    assert report.failures == []
    assert report.operations >= 14
    assert report.total >= 1_000
    assert len(report.cases) == report.operations, "an operation got no case"
