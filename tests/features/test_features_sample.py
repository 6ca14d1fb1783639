"""The processor on real KKBOX rows, read and joined by encore.ingest."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest

from encore.features import FeatureMatrix, FeatureProcessor
from encore.features.vocab import OOV
from encore.ingest import consolidate, load_dataset


@pytest.fixture
def sample_frames(sample_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    dataset = load_dataset(sample_dir)
    assert dataset.test is not None
    return consolidate(dataset.train, dataset), consolidate(dataset.test, dataset)


def field(processor: FeatureProcessor, matrix: FeatureMatrix, name: str) -> npt.NDArray[np.int32]:
    return matrix.categorical[:, processor.categorical_names.index(name)]


def test_real_rows_give_valid_indices_and_finite_numbers(
    sample_frames: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    train, test = sample_frames
    processor = FeatureProcessor()
    fitted = processor.fit_transform(train)
    for matrix, rows in ((fitted, len(train)), (processor.transform(test), len(test))):
        assert matrix.categorical.shape == (rows, len(processor.cardinalities))
        assert (matrix.categorical >= 1).all()
        assert (matrix.categorical < np.array(processor.cardinalities)).all()
        assert np.isfinite(matrix.numeric).all()


def test_test_users_unseen_in_training_are_out_of_vocabulary(
    sample_frames: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    train, test = sample_frames
    processor = FeatureProcessor().fit(train)
    unseen = ~test["msno"].isin(train["msno"]).to_numpy()
    users = field(processor, processor.transform(test), "msno")
    assert unseen.any()
    assert (users[unseen] == OOV).all()


def test_artist_names_are_split_and_stripped(
    sample_frames: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    processor = FeatureProcessor().fit(sample_frames[0])
    for name in ("artist1", "artist2", "composer1", "lyricist1"):
        tokens = pd.Series(processor.vocabularies[name].tokens, dtype="str")
        assert len(tokens) > 0
        assert not tokens.str.contains(r"^\s|\s$|\|").any(), name


def test_one_test_row_alone_matches_the_batch(
    sample_frames: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    train, test = sample_frames
    processor = FeatureProcessor().fit(train)
    batch = processor.transform(test)
    joined = np.flatnonzero(test["artist_name"].notna().to_numpy())[:3]
    for row in joined:
        # The single row keeps all categories of the joined tables, as an API row would.
        single = processor.transform(test.iloc[[row]].reset_index(drop=True))
        np.testing.assert_array_equal(single.categorical[0], batch.categorical[row])
        np.testing.assert_array_equal(single.numeric[0], batch.numeric[row])
