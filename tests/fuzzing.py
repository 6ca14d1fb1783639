"""Generated requests over every operation of the API's OpenAPI schema (schemathesis), for
the test (a bounded run in-process) and bench/bench_fuzz.py (a longer one over HTTP).

Each case is checked for: no 5xx, a documented status code, the documented content type,
and a body that matches the documented schema. Failures are collected, not raised, so a run
reports all of them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@dataclass
class FuzzReport:
    operations: int = 0
    cases: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.cases.values())


def fuzz(schema: Any, examples_per_operation: int, headers: dict[str, str]) -> FuzzReport:
    """Run `examples_per_operation` generated cases per operation of `schema` (loaded with
    schemathesis.openapi.from_asgi or from_url)."""
    results = list(schema.get_all_operations())
    broken = [result for result in results if not isinstance(result, Ok)]
    if broken:
        raise ValueError(f"{len(broken)} operations of the schema do not load")
    operations = [result.ok() for result in results]
    report = FuzzReport(operations=len(operations))

    @given(case=st.one_of([operation.as_strategy() for operation in operations]))
    @settings(
        max_examples=examples_per_operation * len(operations),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        report.cases[case.operation.label] += 1
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except Exception as failure:  # every check's failure, kept for the report
            report.failures.append(f"{case.operation.label}: {str(failure).strip()[:500]}")

    run()
    return report
