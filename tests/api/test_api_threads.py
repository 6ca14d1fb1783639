"""The API process keeps numpy's BLAS, like torch, to one thread unless configured."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# A fresh process, as `encore serve` is: thread pools are per process and set once.
PROBE = """
import json, torch
from threadpoolctl import threadpool_info
from encore.settings import Settings
from encore_api.threads import limit_torch_threads
limit_torch_threads(Settings(torch_threads=0))
blas = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
print(json.dumps({"torch": torch.get_num_threads(), "blas": blas}))
"""


def test_batch_scoring_runs_blas_on_one_thread_by_default(tmp_path: Path) -> None:
    # On more than one core, numpy's BLAS pool would otherwise take them all: 100-row batches
    # then took several times longer on a busy machine (docs/benchmarks.md, "Soak").
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    threads = json.loads(probe.stdout)
    assert threads["torch"] == 1
    assert threads["blas"] and set(threads["blas"]) == {1}
