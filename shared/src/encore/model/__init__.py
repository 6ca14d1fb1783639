"""The neural model: its configuration and presets, and the network itself."""

from encore.model.config import ModelConfig
from encore.model.network import EncoreNet, build_model, embedding_size
from encore.model.presets import PRESETS
from encore.model.scorer import Scorer

__all__ = ["PRESETS", "EncoreNet", "ModelConfig", "Scorer", "build_model", "embedding_size"]
