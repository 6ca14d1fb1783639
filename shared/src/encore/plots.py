"""Training figures as PNG files: one model's curves, and the learning-rate sweep (report figure 2).

Figures are drawn on matplotlib's Agg canvas through ``Figure`` objects, never pyplot: no
display is needed and no global state is shared between threads.

``history`` is a model's per-epoch metrics, one dict per epoch with at least ``epoch``,
``train_loss``, ``valid_loss``, ``auc`` and ``accuracy`` (``EpochMetrics.as_dict()``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

History = Sequence[Mapping[str, Any]]
_DPI = 110


def curves_png(history: History, path: Path) -> None:
    """Train and validation loss, validation AUC and accuracy per epoch, side by side."""
    figure, (losses, quality) = _two_panels()
    epochs = _column(history, "epoch")
    losses.plot(epochs, _column(history, "train_loss"), marker="o", label="train loss")
    losses.plot(epochs, _column(history, "valid_loss"), marker="o", label="validation loss")
    _label(losses, "(a) loss per epoch", "binary cross-entropy")
    quality.plot(epochs, _column(history, "auc"), marker="o", label="validation AUC")
    quality.plot(epochs, _column(history, "accuracy"), marker="o", label="validation accuracy")
    _label(quality, "(b) validation AUC and accuracy", "AUC / accuracy")
    _save(figure, path)


def sweep_png(runs: Mapping[str, History], path: Path) -> None:
    """The report's figure 2 as a PNG file (see ``sweep_figure``)."""
    _save(sweep_figure(runs), path)


def sweep_figure(runs: Mapping[str, History]) -> Figure:
    """The report's figure 2: one curve per learning rate (the keys of ``runs``).

    (a) validation loss per epoch, on a logarithmic axis when one learning rate diverges (its
    losses would flatten every other curve); (b) validation accuracy (dashed) and AUC (solid)
    per epoch, one colour per learning rate in both panels.
    """
    figure, (losses, quality) = _two_panels()
    for index, (name, history) in enumerate(runs.items()):
        style: dict[str, Any] = {"color": f"C{index % 10}", "marker": "."}
        epochs = _column(history, "epoch")
        losses.plot(epochs, _column(history, "valid_loss"), **style, label=f"lr {name}")
        quality.plot(epochs, _column(history, "auc"), **style, label=f"lr {name} AUC")
        quality.plot(
            epochs, _column(history, "accuracy"), **style, linestyle="--",
            label=f"lr {name} accuracy",
        )
    loss_label = "validation loss (binary cross-entropy)"
    if _spans_decades([_column(history, "valid_loss") for history in runs.values()]):
        losses.set_yscale("log")
        loss_label += ", log scale"
    _label(losses, "(a) validation loss per epoch", loss_label)
    _label(quality, "(b) validation accuracy and AUC per epoch", "AUC (solid) / accuracy (dashed)")
    return figure


def _spans_decades(curves: list[list[float]]) -> bool:
    """True when the largest loss is over ten times the smallest (a diverging run), or a
    run's loss is infinite."""
    values = [v for curve in curves for v in curve if v > 0 and not math.isnan(v)]
    return bool(values) and max(values) > 10 * min(values)


def _two_panels() -> tuple[Figure, tuple[Axes, Axes]]:
    figure = Figure(figsize=(11, 4.5), dpi=_DPI, layout="constrained")
    FigureCanvasAgg(figure)
    left, right = figure.subplots(1, 2)
    return figure, (left, right)


def _column(history: History, key: str) -> list[float]:
    return [math.nan if epoch[key] is None else float(epoch[key]) for epoch in history]


def _label(axes: Axes, title: str, ylabel: str) -> None:
    axes.set_title(title)
    axes.set_xlabel("epoch")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel(ylabel)
    axes.grid(alpha=0.3)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(fontsize="small")


def _save(figure: Figure, path: Path) -> None:
    figure.savefig(Path(path), format="png")
