"""Torch thread counts for the API process."""

from __future__ import annotations

import torch

from encore.settings import Settings

_configured = False


def limit_torch_threads(settings: Settings) -> None:
    """One intra-op thread by default: requests already run side by side, and a trainer may
    share the machine. ENCORE_TORCH_THREADS overrides it. Set once per process."""
    global _configured
    torch.set_num_threads(settings.torch_threads or 1)
    if not _configured:
        torch.set_num_interop_threads(1)
        _configured = True
