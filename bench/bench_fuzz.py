"""A long schemathesis run against the API under uvicorn: generated requests over every
operation, each checked for no 5xx and a documented status, content type and schema.

Usage: .venv/bin/python -m bench.bench_fuzz [--data DIR] [--examples 500]

Serves two small versions (trained on a tiny generated set unless --model is given twice)
with an API key, loads /openapi.json from the running server and sends --examples cases per
operation with the key. Prints one JSON object: cases per operation, total, seconds, and
every failure (the target is none). The test suite runs the same checks, 80 per operation,
in-process (tests/api/test_api_fuzz.py).
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import schemathesis

from bench.bench_swap_load import SMALL
from bench.served import API_KEY, registered, serving, two_versions, two_versions_parser
from tests.fuzzing import fuzz


def main() -> None:
    parser = two_versions_parser(__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=500, help="cases per operation")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-fuzz-"))
    _, versions = two_versions(args, work, SMALL)
    with serving(registered(work, versions), api_key=API_KEY) as server:
        schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
        started = time.monotonic()
        report = fuzz(schema, args.examples, {"Authorization": f"Bearer {API_KEY}"})
        seconds = time.monotonic() - started
    result = {
        "operations": report.operations,
        "cases": report.total,
        "cases_per_operation": dict(sorted(report.cases.items())),
        "seconds": round(seconds, 1),
        "failures": report.failures,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
