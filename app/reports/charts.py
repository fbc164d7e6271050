"""Horizontal bar charts as inline SVG, drawn on the server.

Accessible and CSP-safe: `role="img"` with a <title> and <desc> (named by aria-labelledby), every label and
value as real <text>, no script, no `style=` attribute (colours are presentation attributes; fonts come from
the stylesheet through classes). Bars are grouped (one bar per series) or stacked (one bar per category,
total at its end). The same numbers are always in a table beneath the chart.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup, escape

# Okabe–Ito: told apart with the common colour-vision deficiencies, and dark enough on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
FONT = 13  # px, never scaled: the drawing stretches, its text does not
LINE = 18
MIN_WIDTH = 300  # px: labels are wrapped to fit the narrowest page (a 320 px phone)
PLOT = 84  # per cent of the width the longest bar takes; the rest holds its value


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    categories: list[str]
    series: list[tuple[str, list[float]]]  # (name, one value per category)
    value_axis: str  # what the values are: "Exchanges", "Fill rate (%)"
    category_axis: str
    stacked: bool = False
    percent: bool = False
    empty_text: str = ""

    def __html__(self) -> str:  # {{ chart }} in a template draws it
        return render(self)


def text_width(text: str, size: float = FONT) -> float:
    """A rough rendered width: full-width (CJK) characters are about 1em, others about 0.58em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.58 for ch in text)


def axis(value: float, percent: bool = False) -> tuple[float, int]:
    """(scale maximum, number of steps): a step of 1, 2 or 5 times a power of ten (at least 1, counts are
    whole), two to five steps; percentages always 0-100 in quarters."""
    if percent and value <= 100:
        return 100.0, 4
    if value <= 0:
        return 1.0, 1
    rough = value / 4
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    step = max(step, 1)
    steps = math.ceil(value / step)
    return steps * step, steps


def fmt(value: float, percent: bool = False) -> str:
    if percent:
        return f"{value:.1f}%"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _attrs(**attrs) -> str:
    return " ".join(f'{name.rstrip("_").replace("_", "-")}="{escape(value)}"' for name, value in attrs.items())


INK, MUTED, GRID = "#1c2430", "#4d5866", "#d5dbe2"


def _text(x, y, content: str, *, size: int = FONT, fill: str = INK, **attrs) -> str:
    """x: a number of pixels, or a string such as "42%" (a share of the drawing's width)."""
    x = x if isinstance(x, str) else _n(x)
    return f'<text {_attrs(x=x, y=_n(y), font_size=size, fill=fill, **attrs)}>{escape(content)}</text>'


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def wrap(text: str, width: float, size: float = FONT) -> list[str]:
    """Lines of at most `width` (rough) pixels: at spaces where there are any, between any two CJK characters."""
    lines, line = [], ""
    for word in re.findall(r"\S+\s*|\s+", text):
        for ch in (word if text_width(word, size) > width else [word]):
            if line and text_width((line + ch).rstrip(), size) > width:
                lines.append(line.rstrip())
                line = ch.lstrip()
            else:
                line += ch
    return [*lines, line.rstrip()] if line.strip() else lines or [""]


def _pct(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%"


def render(chart: Chart) -> Markup:
    """The chart as an <svg> element (safe to put in a page as it is).

    The drawing is as wide as the page (bars and grid in per cent of it) and its text is never scaled: labels
    keep their size on a phone. Each category's full name stands above its bars, wrapped to the narrowest
    page (MIN_WIDTH), so nothing is cut."""
    n_series = max(len(chart.series), 1)
    stacked = chart.stacked or n_series == 1
    per_bar = 16 if stacked else 12
    values = [v or 0 for _name, vals in chart.series for v in vals]
    totals = [sum(vals[i] or 0 for _n, vals in chart.series) for i in range(len(chart.categories))]
    top_value = max((totals if chart.stacked else values) or [0])
    scale_max, steps = axis(top_value, chart.percent)

    parts: list[str] = []
    y = 18
    parts.append(_text(0, y, chart.category_axis, font_weight="bold", class_="chart-axis-title"))
    y += 10
    if n_series > 1:  # the legend, flowing onto more lines on a narrow page
        x = 0.0
        y += LINE
        for index, (name, _vals) in enumerate(chart.series):
            item = 16 + text_width(name, FONT - 1) + 14
            if x and x + item > MIN_WIDTH:
                x, y = 0.0, y + LINE
            colour = PALETTE[index % len(PALETTE)]
            parts.append(f'<rect {_attrs(x=_n(x), y=_n(y - 11), width=12, height=12, fill=colour)}/>')
            parts.append(_text(x + 16, y, name, size=FONT - 1))
            x += item
        y += 8
    plot_top = y
    if not chart.categories:
        y += LINE
        parts.append(_text(0, y, chart.empty_text, fill=MUTED))
        y += 10
    for row, category in enumerate(chart.categories):
        y += 10
        lines = wrap(category, MIN_WIDTH)
        parts.append(f'<g><title>{escape(category)}</title>')
        for line in lines:
            y += LINE
            parts.append(_text(0, y - 4, line))
        parts.append("</g>")
        y += 2
        x = 0.0
        for index, (name, vals) in enumerate(chart.series):
            value = vals[row] or 0
            share = PLOT * value / scale_max if scale_max else 0
            label = "—" if vals[row] is None else fmt(value, chart.percent)  # a rate of nothing
            colour = PALETTE[index % len(PALETTE)]
            bar_h = per_bar - (0 if chart.stacked else 2)
            parts.append(f'<rect {_attrs(x=_pct(x), y=_n(y), width=_pct(share), height=bar_h, fill=colour)}>'
                         f'<title>{escape(category)} · {escape(name)}: {escape(label)}</title></rect>')
            if chart.stacked:
                x += share
            else:
                parts.append(_text(_pct(share), y + bar_h - 2, label, size=FONT - 1, dx=4))
                y += per_bar
        if chart.stacked:
            parts.append(_text(_pct(x), y + per_bar - 3, fmt(totals[row], chart.percent), size=FONT - 1, dx=4))
            y += per_bar
    # Grid lines behind the bars, and the value axis with its ticks and its title.
    axis_y = y + 6
    grid = []
    for step in range(steps + 1):
        x = _pct(PLOT * step / steps)
        grid.append(f'<line {_attrs(x1=x, y1=plot_top, x2=x, y2=axis_y, stroke=GRID)}/>')
        anchor = "start" if step == 0 else "middle"
        grid.append(_text(x, axis_y + 16, fmt(scale_max * step / steps, chart.percent), size=FONT - 1, fill=MUTED,
                          text_anchor=anchor))
    grid.append(f'<line {_attrs(x1=0, y1=axis_y, x2=_pct(PLOT), y2=axis_y, stroke=MUTED)}/>')
    grid.append(_text(_pct(PLOT / 2), axis_y + 36, chart.value_axis, text_anchor="middle",
                      class_="chart-axis-title"))
    height = axis_y + 44
    title_id, desc_id = f"{chart.id}-title", f"{chart.id}-desc"
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'{_attrs(width="100%", height=_n(height))} aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.desc)}</desc>',
        f'<rect {_attrs(x=0, y=0, width="100%", height=_n(height), fill="#ffffff")}/>',
    ]
    return Markup("".join([*head, *grid, *parts, "</svg>"]))
