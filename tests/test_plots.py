from pathlib import Path

import pytest
from matplotlib.image import imread

from encore.plots import curves_png, sweep_figure, sweep_png

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _history(epochs: int, start_auc: float) -> list[dict[str, float]]:
    return [
        {
            "epoch": epoch,
            "train_loss": 0.7 - 0.02 * epoch,
            "valid_loss": 0.69 - 0.01 * epoch,
            "auc": start_auc + 0.01 * epoch,
            "accuracy": 0.55 + 0.01 * epoch,
        }
        for epoch in range(1, epochs + 1)
    ]


def _assert_sensible_png(path: Path) -> None:
    assert path.read_bytes().startswith(PNG_SIGNATURE)
    height, width, _ = imread(path).shape
    assert 600 <= width <= 2000
    assert 300 <= height <= 1200


def test_curves_are_drawn_as_a_png(tmp_path):
    path = tmp_path / "curves.png"
    curves_png(_history(5, 0.6), path)
    _assert_sensible_png(path)


def test_a_single_epoch_and_a_missing_auc_still_draw(tmp_path):
    path = tmp_path / "curves.png"
    curves_png([{**_history(1, 0.6)[0], "auc": None}], path)
    _assert_sensible_png(path)


def test_the_sweep_draws_one_curve_per_learning_rate(tmp_path):
    path = tmp_path / "sweep.png"
    runs = {"1e-1": _history(3, 0.55), "1e-2": _history(8, 0.6), "1e-3": _history(12, 0.58)}
    sweep_png(runs, path)
    _assert_sensible_png(path)


@pytest.mark.parametrize("draw", [curves_png, lambda history, path: sweep_png({}, path)])
def test_an_empty_history_still_gives_a_figure(tmp_path, draw):
    path = tmp_path / "empty.png"
    draw([], path)
    _assert_sensible_png(path)


def test_a_diverging_learning_rate_puts_the_sweep_loss_on_a_log_axis():
    diverged = [{**epoch, "valid_loss": 40.0 * epoch["epoch"]} for epoch in _history(3, 0.5)]
    calm = {"1e-2": _history(8, 0.6), "1e-3": _history(12, 0.58)}
    assert sweep_figure(calm).axes[0].get_yscale() == "linear"
    with_divergence = sweep_figure({"1e+0": diverged, **calm})
    assert with_divergence.axes[0].get_yscale() == "log"
    assert "log scale" in with_divergence.axes[0].get_ylabel()
