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
            server, names, client_rows(trained_data), seconds=6, swap_every=2, connections=3
        )
    # Every activation asked for while wrk ran took effect; how many fit in the run depends on
    # how long loading a version takes on this machine (5 s under load on a slow one).
    assert result["swaps_requested"] >= 1
    assert result["swaps_done"] == result["swaps_requested"], result["activations"]
    assert result["requests"] > 0
    assert result["failed_requests"] == 0, result
    assert sum(result["answers_by_version"].values()) == result["requests"]
    # The version activated last answered; the first may have answered nothing if the
    # activation came before wrk's first answers on a slow machine.
    last = result["activations"][-1]["version"]
    assert last in result["answers_by_version"]
    assert set(result["answers_by_version"]) <= set(names)
