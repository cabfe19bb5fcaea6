"""Charts as inline SVG, drawn at build time: no script, no library, nothing from a network."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from .usertext import plain

WIDTH, HEIGHT = 480, 200
LEFT, RIGHT, TOP, BOTTOM = 30, 14, 16, 38
# Axis text in viewBox units, drawn twice: a wide chart shows the small labels, a phone-wide one
# (scaled to about half) the large ones; devtalks.css picks one set per screen width with these sizes.
AXES = {"wide": 12, "narrow": 22}
GLYPH = 0.62  # a generous average glyph width, in ems, so a label is never placed past the edge
EDGE = 2


@dataclass(frozen=True)
class Series:
    label: str
    points: tuple[tuple[dt.date, float], ...]


def line_chart(series: list[Series], low: int, high: int, label: str, date_label, ident: str) -> Markup:
    """A line per series over time, on a fixed scale from `low` to `high`.

    `date_label` turns a date into the short text under the axis and in each point's tooltip.
    Screen readers get `label` as the chart's name and the element `<ident>-data` (the same
    numbers as a table, which the page supplies) as its description.
    """
    days = sorted({d for s in series for d, _ in s.points})
    if not days:
        return Markup("")
    first, last = days[0].toordinal(), days[-1].toordinal()
    span = max(last - first, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        if last == first:
            return LEFT + plot_w / 2
        return LEFT + (day.toordinal() - first) / span * plot_w

    def y(value: float) -> float:
        return TOP + (high - value) / max(high - low, 1) * plot_h

    numbers = "; ".join(f"{s.label} — " + ", ".join(f"{date_label(d)}: {v:g}" for d, v in sorted(s.points))
                        for s in series)
    parts = [f'<svg class="dt-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{ident}-title" '
             f'aria-describedby="{ident}-data" xmlns="http://www.w3.org/2000/svg">'
             f'<title id="{ident}-title">{plain(label)}</title><desc>{plain(numbers)}</desc>']
    grid = "".join(f"M{LEFT} {y(value):.1f}H{WIDTH - RIGHT}" for value in range(low, high + 1))
    parts.append(f'<path class="dt-grid" d="{grid}"/>')  # one path for every grid line: a fifth of a chart
    labels = {day: date_label(day) for day in days}
    for axis, font in AXES.items():
        parts.append(f'<g class="dt-axis dt-axis-{axis}">')
        for value in range(low, high + 1):
            parts.append(f'<text x="{LEFT - 8}" y="{y(value) + font * 0.35:.1f}" text-anchor="end">{value}</text>')
        gap = max(len(text) for text in labels.values()) * GLYPH * font + 8
        at = {day: _inside(x(day), labels[day], font) for day in days}
        for day in _spaced(days, at, gap):
            parts.append(f'<text x="{at[day]:.1f}" y="{HEIGHT - 6}" text-anchor="middle">{plain(labels[day])}</text>')
        parts.append("</g>")
    for i, s in enumerate(series):
        points = sorted(s.points)
        path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in points)
        parts.append(f'<g class="dt-s{i % 4}"><polyline points="{path}"/>')
        for d, v in points:
            parts.append(f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="{5 if i == 0 else 3.5}">'
                         f'<title>{plain(s.label)}, {plain(labels[d])}: {v:g}</title></circle>')
        parts.append("</g>")
    parts.append("</svg>")
    legend = "".join(f'<li class="dt-s{i % 4}"><span class="dt-swatch"></span>{plain(s.label)}</li>'
                     for i, s in enumerate(series))
    return Markup(f'<figure class="dt-figure">{"".join(parts)}<ul class="dt-legend">{legend}</ul></figure>')


def _spaced(days: list[dt.date], at: dict[dt.date, float], gap: float) -> list[dt.date]:
    """Dates to label under the axis, their labels' centres (`at`) `gap` apart so none overlap; the last one always."""
    shown: list[dt.date] = []
    for day in days:
        if not shown or at[day] - at[shown[-1]] >= gap:
            shown.append(day)
    if shown[-1] != days[-1]:
        if at[days[-1]] - at[shown[-1]] < gap:
            shown.pop()
        shown.append(days[-1])
    return shown


def _inside(centre: float, text: str, font: float) -> float:
    """The centre of a label moved just enough that all of it lies inside the chart (the first and last dates)."""
    half = len(text) * GLYPH * font / 2
    return min(max(centre, EDGE + half), WIDTH - EDGE - half)


def meter(value: float, low: int, high: int) -> Markup:
    """A small horizontal bar for one value on a scale."""
    share = (value - low) / max(high - low, 1)
    # The track is the element's own background: one rect, and HTML needs no xmlns (a tenth of a check-in page)
    return Markup(f'<svg class="dt-meter" viewBox="0 0 100 8" aria-hidden="true">'
                  f'<rect width="{max(share, 0.04) * 100:.0f}" height="8" rx="4"/></svg>')
