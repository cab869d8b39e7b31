"""Draw a locality's poverty time series as a small inline SVG at build time.

No JavaScript and no chart library: a line per series over a linear year axis. The numbers are also
in an HTML table beside the chart, so the SVG only needs a short text alternative.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup, escape

# Narrow viewBox and large text: on a 360 px phone the chart is drawn at ~0.75 scale, text stays legible.
WIDTH, HEIGHT = 440, 300
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 24, 72
INSET = 36   # keeps the first and last year's labels clear of the axis and the edge
# (key, label, colour, dash): dark colours keep 4.5:1 contrast on white for the labels drawn in them.
SERIES = (("poor", "Hộ nghèo", "#0b5394", ""), ("near_poor", "Hộ cận nghèo", "#8a4b00", "6 4"))


def poverty_chart(points: Sequence[Any], label: str, format_number: Callable[[float], str]) -> Markup:
    """Return the SVG for `points` (objects with year, poor, near_poor), or '' when nothing to draw."""
    values = [getattr(p, key) for p in points for key, *_ in SERIES if getattr(p, key) is not None]
    if not values:
        return Markup("")
    top, intervals = _nice_scale(max(values))
    years = sorted({p.year for p in points})
    first, last = years[0], years[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT - 2 * INSET, HEIGHT - TOP - BOTTOM

    def x(year: int) -> float:
        return LEFT + INSET + (plot_w / 2 if first == last else plot_w * (year - first) / (last - first))

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>']
    for step in range(intervals + 1):
        value = top * step / intervals
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     f'stroke="#d0d7de"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">'
                     f'{escape(format_number(round(value, 2)))}%</text>')
    for year in years:
        parts.append(f'<text x="{x(year):.1f}" y="{TOP + plot_h + 20}" text-anchor="middle">{year}</text>')
    # The near-poor rate is usually the higher line: its values go above the points, the poor rate's below.
    for index, (key, label, colour, dash) in enumerate(SERIES):
        offset = 20 if key == "poor" else -10
        series = [(p.year, getattr(p, key)) for p in sorted(points, key=lambda p: p.year)
                  if getattr(p, key) is not None]
        if not series:
            continue
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        coords = " ".join(f"{x(year):.1f},{y(value):.1f}" for year, value in series)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="3"{dashed}/>')
        for year, value in series:
            parts.append(f'<circle cx="{x(year):.1f}" cy="{y(value):.1f}" r="4" fill="{colour}"/>')
            parts.append(f'<text x="{x(year):.1f}" y="{y(value) + offset:.1f}" text-anchor="middle" fill="{colour}">'
                         f'{escape(format_number(value))}%</text>')
        legend_x = LEFT + index * 170
        legend_y = HEIGHT - 14
        parts.append(f'<line x1="{legend_x}" x2="{legend_x + 28}" y1="{legend_y - 5}" y2="{legend_y - 5}" '
                     f'stroke="{colour}" stroke-width="3"{dashed}/>')
        parts.append(f'<text x="{legend_x + 34}" y="{legend_y}">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _nice_scale(value: float) -> tuple[float, int]:
    """The axis top (1, 2, 2.5 or 5 times a power of ten) and a grid count giving round labels."""
    if value <= 0:
        return 1.0, 5
    magnitude = 10 ** math.floor(math.log10(value))
    for factor, intervals in ((1, 5), (2, 4), (2.5, 5), (5, 5), (10, 5)):
        if value <= factor * magnitude:
            return factor * magnitude, intervals
    return 10 * magnitude, 5
