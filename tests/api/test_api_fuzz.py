"""Generated requests over every endpoint (schemathesis): never a 5xx, and every answer
matches its documented status codes, content type and schema."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import KEY

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 80


def test_generated_requests_get_documented_answers(make_client: Any) -> None:
    client = make_client(register=2, api_key=KEY)
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results), "the schema does not load"
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) >= 14
    cases = st.one_of([operation.as_strategy() for operation in operations])
    seen: list[str] = []

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION * len(operations),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        seen.append(case.operation.label)
        case.call_and_validate(headers={"Authorization": f"Bearer {KEY}"}, checks=CHECKS)

    check()
    assert len(seen) >= 1_000
    assert len(set(seen)) == len(operations)
