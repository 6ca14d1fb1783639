"""The numpy scorer gives the network's own probabilities, for a row and for many."""

from __future__ import annotations

import numpy as np
import pytest

from encore.features import FeatureMatrix
from encore.model import Scorer
from encore.model.scorer import BLOCK_ROWS
from encore.training import predict_proba
from tests.conftest import Trained


@pytest.mark.parametrize("rows", [1, 7, 500, BLOCK_ROWS + 3])
def test_numpy_and_torch_agree(trained: Trained, rows: int) -> None:
    model = trained.result.model.eval()
    matrix = trained.data.valid
    repeat = np.arange(rows) % len(matrix)
    head = FeatureMatrix(matrix.categorical[repeat], matrix.numeric[repeat])
    expected = predict_proba(model, head)
    got = Scorer(model).probabilities(head)
    assert got.shape == (rows,) and got.dtype == np.float64
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6)
