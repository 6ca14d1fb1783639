"""Generated data's true replay probability of every train.csv row, where the generator
saved it (train_oracle.csv)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from encore.datagen.files import TRAIN_ORACLE_FILE


def train_probabilities(data_dir: Path, rows: int) -> np.ndarray | None:
    """The true probability of each of train.csv's ``rows`` rows; None for real data, or
    when the file does not cover exactly those rows."""
    path = data_dir / TRAIN_ORACLE_FILE
    if not path.is_file():
        return None
    probability = pd.read_csv(path, usecols=["probability"])["probability"].to_numpy()
    return probability if len(probability) == rows else None
