"""Swapping the answering version while wrk loads a real uvicorn process: no request fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.bench_swap_load import measure
from bench.served import API_KEY, client_rows, registered, serving

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("wrk") is None, reason="wrk is not installed (scripts/dev-tools installs it)"
    ),
]


def test_no_request_fails_under_wrk_while_versions_swap(
    versions: list[Path], trained_data: Path, tmp_path: Path
) -> None:
    names = [version.name for version in versions]
    with serving(registered(tmp_path, versions), api_key=API_KEY) as server:
        result = measure(
            server, names, client_rows(trained_data), swaps=3, swap_every=2, connections=3
        )
    assert result["swaps_requested"] == 3
    assert result["swaps_done"] == 3, result["activations"]
    assert result["requests"] > 0
    assert result["failed_requests"] == 0, result
    assert sum(result["answers_by_version"].values()) == result["requests"]
    # The load runs on for a second after the last activation, and each version answers while
    # the next one loads: both versions answered, and nothing else did.
    assert set(result["answers_by_version"]) == set(names), result["answers_by_version"]
