"""A tiny generated data set, split and featurised once for every training test."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from encore.datagen.generate import generate
from encore.features import FeatureMatrix, FeatureProcessor
from encore.ingest import consolidate, load_dataset
from encore.split import chronological


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
    dataset = load_dataset(folder)
    train, valid = chronological(consolidate(dataset.train, dataset))
    processor = FeatureProcessor()
    train_matrix = processor.fit_transform(train)
    return TinySplit(
        cardinalities=processor.cardinalities,
        train=train_matrix,
        train_target=train["target"].to_numpy(),
        valid=processor.transform(valid),
        valid_target=valid["target"].to_numpy(),
    )
