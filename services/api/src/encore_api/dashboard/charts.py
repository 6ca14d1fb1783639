"""Line charts as inline SVG, drawn on the server: no charting library, no script.

Each line has a style (colour and dash pattern) and a name in the legend, so two lines can be
told apart without colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 480, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 16, 36
# Line styles in order: a class (its colour, in dashboard.css) and a dash pattern.
STYLES = (("line-a", ""), ("line-b", "6 4"), ("line-c", "2 3"), ("line-d", "10 3 2 3"))
TICKS = 4


@dataclass(frozen=True)
class Line:
    name: str
    points: Sequence[tuple[float, float | None]]


def line_chart(title: str, lines: Sequence[Line], y_label: str, log_y: bool = False) -> Markup:
    """An SVG figure with one polyline per line over epochs, axes with a few ticks, a legend.

    None and non-finite values (an AUC on one class) leave a gap; with `log_y` the y axis is
    logarithmic (learning rates)."""
    shown = [_finite(line, log_y) for line in lines]
    values = [y for line in shown for _, y in line]
    epochs = [x for line in shown for x, _ in line]
    if not values:
        return Markup('<p class="muted">{}: no epochs yet.</p>').format(title)
    x_range = (min(epochs), max(max(epochs), min(epochs) + 1))
    y_range = _padded(min(values), max(values))
    parts = [_axes(x_range, y_range, y_label, log_y)]
    for index, points in enumerate(shown):
        parts.append(_polyline(points, index, x_range, y_range))
    legend = "".join(
        f'<li><svg width="28" height="8" aria-hidden="true"><line x1="0" y1="4" x2="28" y2="4" '
        f'class="{_style(i)[0]}" stroke-dasharray="{_style(i)[1]}"/></svg> {escape(line.name)}</li>'
        for i, line in enumerate(lines)
    )
    svg = (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'class="chart">{"".join(parts)}</svg>'
    )
    return Markup(
        f'<figure class="chart-box"><figcaption>{escape(title)}</figcaption>{svg}'
        f'<ul class="legend">{legend}</ul></figure>'
    )


def _finite(line: Line, log_y: bool) -> list[tuple[float, float]]:
    points = []
    for x, y in line.points:
        if y is None or not math.isfinite(y) or (log_y and y <= 0):
            continue
        points.append((float(x), math.log10(y) if log_y else float(y)))
    return points


def _padded(low: float, high: float) -> tuple[float, float]:
    if high - low < 1e-9:
        return low - 0.5, high + 0.5
    margin = (high - low) * 0.05
    return low - margin, high + margin


def _style(index: int) -> tuple[str, str]:
    return STYLES[index % len(STYLES)]


def _x(value: float, x_range: tuple[float, float]) -> float:
    low, high = x_range
    return LEFT + (value - low) / (high - low) * (WIDTH - LEFT - RIGHT)


def _y(value: float, y_range: tuple[float, float]) -> float:
    low, high = y_range
    return HEIGHT - BOTTOM - (value - low) / (high - low) * (HEIGHT - TOP - BOTTOM)


def _polyline(
    points: list[tuple[float, float]],
    index: int,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
) -> str:
    css, dash = _style(index)
    coords = " ".join(f"{_x(x, x_range):.1f},{_y(y, y_range):.1f}" for x, y in points)
    dots = "".join(
        f'<circle cx="{_x(x, x_range):.1f}" cy="{_y(y, y_range):.1f}" r="2.5" class="{css}"/>'
        for x, y in points
    )
    return (
        f'<polyline points="{coords}" class="{css}" fill="none" stroke-width="2" '
        f'stroke-dasharray="{dash}"/>{dots}'
    )


def _axes(
    x_range: tuple[float, float], y_range: tuple[float, float], y_label: str, log_y: bool
) -> str:
    bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
    parts = [
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" class="axis"/>',
        f'<line x1="{LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}" class="axis"/>',
        f'<text x="{(LEFT + right) / 2}" y="{HEIGHT - 4}" class="axis-label">epoch</text>',
        f'<text x="12" y="{(TOP + bottom) / 2}" class="axis-label" '
        f'transform="rotate(-90 12 {(TOP + bottom) / 2})">{escape(y_label)}</text>',
    ]
    for step in range(TICKS + 1):
        value = y_range[0] + (y_range[1] - y_range[0]) * step / TICKS
        shown = f"{10**value:.0e}" if log_y else f"{value:.3g}"
        y = _y(value, y_range)
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" class="tick tick-y">{shown}</text>')
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" class="grid"/>')
    for epoch in _epoch_ticks(x_range):
        x = _x(epoch, x_range)
        parts.append(f'<text x="{x:.1f}" y="{bottom + 14}" class="tick tick-x">{epoch}</text>')
    return "".join(parts)


def _epoch_ticks(x_range: tuple[float, float]) -> list[int]:
    low, high = math.ceil(x_range[0]), math.floor(x_range[1])
    step = max(1, math.ceil((high - low) / 8))
    return list(range(low, high + 1, step))
