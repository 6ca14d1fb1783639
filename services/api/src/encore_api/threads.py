"""Thread counts for the API process: torch's, and numpy's BLAS."""

from __future__ import annotations

import torch
from threadpoolctl import threadpool_limits

from encore.settings import Settings

_configured = False


def limit_torch_threads(settings: Settings) -> None:
    """One intra-op thread by default: requests already run side by side, and a trainer may
    share the machine. ENCORE_TORCH_THREADS overrides it. Set once per process.

    numpy's BLAS (the scorer's forward pass) gets the same count: its own pool takes every
    core it sees, and on a busy machine (or a container's CPU quota) its threads wait on each
    other (figures in docs/benchmarks.md)."""
    global _configured
    threads = settings.torch_threads or 1
    torch.set_num_threads(threads)
    threadpool_limits(threads, user_api="blas")
    if not _configured:
        torch.set_num_interop_threads(1)
        _configured = True
