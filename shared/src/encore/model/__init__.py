"""The neural model: its configuration and presets, and the network itself.

The configuration and presets import nothing heavy (the command line reads them to build its
help); the network, which needs torch, is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from encore.lazy import lazy_attributes
from encore.model.config import ModelConfig
from encore.model.presets import PRESETS

if TYPE_CHECKING:
    from encore.model.network import EncoreNet, build_model, embedding_size
    from encore.model.scorer import Scorer

__all__ = ["PRESETS", "EncoreNet", "ModelConfig", "Scorer", "build_model", "embedding_size"]
__getattr__ = lazy_attributes(
    __name__,
    {"EncoreNet": "network", "build_model": "network", "embedding_size": "network",
     "Scorer": "scorer"},
)
