"""The numpy forward pass gives the network's own probabilities."""

from __future__ import annotations

import numpy as np
import pytest

from encore.model.fast import NumpyForward
from encore.training import predict_proba
from tests.conftest import Trained


@pytest.mark.parametrize("rows", [1, 7, 500])
def test_numpy_and_torch_agree(trained: Trained, rows: int) -> None:
    model = trained.result.model.eval()
    matrix = trained.data.valid
    head = type(matrix)(matrix.categorical[:rows], matrix.numeric[:rows])
    expected = predict_proba(model, head)
    got = NumpyForward(model).probabilities(head)
    assert len(got) == rows and all(isinstance(p, float) for p in got)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6)
