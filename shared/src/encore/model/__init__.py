"""The neural model: its configuration and presets, and the network itself."""

from encore.model.config import ModelConfig
from encore.model.network import EncoreNet, build_model, embedding_size
from encore.model.presets import PRESETS

__all__ = ["PRESETS", "EncoreNet", "ModelConfig", "build_model", "embedding_size"]
