import math

import pytest

from encore.metrics import score


def test_a_perfect_ranking_scores_auc_one_and_counts_threshold_metrics():
    s = score([0, 0, 1, 1], [0.1, 0.6, 0.7, 0.9])
    assert s.auc == 1.0
    assert s.accuracy == 0.75
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == 1.0
    assert s.positive_rate == 0.5
    assert s.rows == 4


def test_log_loss_matches_its_definition():
    s = score([1, 0], [0.8, 0.2])
    assert s.log_loss == pytest.approx(-math.log(0.8))


def test_one_class_only_gives_nan_auc_not_an_error():
    s = score([1, 1, 1], [0.2, 0.5, 0.9])
    assert math.isnan(s.auc)
    assert s.recall == pytest.approx(2 / 3)


def test_certain_wrong_answers_give_a_finite_log_loss():
    assert math.isfinite(score([1, 0], [0.0, 1.0]).log_loss)
