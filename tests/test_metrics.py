import math
import subprocess
import sys

import numpy as np
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


@pytest.mark.parametrize("seed", range(5))
def test_the_numpy_metrics_agree_with_scikit_learn(seed):
    from sklearn import metrics

    rng = np.random.default_rng(seed)
    target = (rng.random(2_000) < 0.4).astype(np.int8)
    # Rounded: many ties, as a model's float32 outputs have on large sets.
    probability = np.clip(np.round(rng.random(2_000) * 0.6 + target * 0.3, 2), 1e-7, 1 - 1e-7)
    s = score(target, probability)
    predicted = (probability >= 0.5).astype(np.int8)
    assert s.auc == pytest.approx(metrics.roc_auc_score(target, probability), abs=1e-12)
    assert s.log_loss == pytest.approx(metrics.log_loss(target, probability), abs=1e-12)
    assert s.precision == pytest.approx(metrics.precision_score(target, predicted))
    assert s.recall == pytest.approx(metrics.recall_score(target, predicted))
    assert s.accuracy == pytest.approx(metrics.accuracy_score(target, predicted))


def test_a_worker_process_imports_neither_scikit_learn_nor_scipy():
    """Each RQ worker, API and command process paid a second at start for them (CI time)."""
    code = "import sys, encore.jobs.tasks; print(sorted({'sklearn', 'scipy'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
