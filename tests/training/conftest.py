"""A tiny generated data set, split and featurised once for every training test."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from encore.datagen.generate import generate
from encore.features import FeatureMatrix
from encore.model import ModelConfig
from encore.pipeline import prepare


@dataclass(frozen=True)
class TinySplit:
    cardinalities: list[int]
    train: FeatureMatrix
    train_target: np.ndarray
    valid: FeatureMatrix
    valid_target: np.ndarray


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> TinySplit:
    folder: Path = tmp_path_factory.mktemp("tiny")
    generate(folder, 5_000, 7, "tiny")
    data = prepare(folder, ModelConfig())
    return TinySplit(
        cardinalities=data.processor.cardinalities,
        train=data.train,
        train_target=data.train_target,
        valid=data.valid,
        valid_target=data.valid_target,
    )
