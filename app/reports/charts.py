"""Horizontal bar charts as inline SVG, drawn on the server.

Accessible and CSP-safe: `role="img"` with a <title> and <desc> (named by aria-labelledby), every label and
value as real <text>, no script, no `style=` attribute (colours are presentation attributes; fonts come from
the stylesheet through classes). Bars are grouped (one bar per series) or stacked (one bar per category,
total at its end). The same numbers are always in a table beneath the chart.
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup, escape

# Okabe–Ito: told apart with the common colour-vision deficiencies, and dark enough on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
WIDTH = 720
LABEL_WIDTH = 230
VALUE_SPACE = 78
FONT = 12


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


def fit(text: str, width: float, size: float = FONT) -> str:
    if text_width(text, size) <= width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > width:
            break
        out += ch
    return out + "…"


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
    return f'<text {_attrs(x=_n(x), y=_n(y), font_size=size, fill=fill, **attrs)}>{escape(content)}</text>'


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def render(chart: Chart) -> Markup:
    """The chart as an <svg> element (safe to put in a page as it is)."""
    n_series = max(len(chart.series), 1)
    per_bar = 16 if chart.stacked or n_series == 1 else 12
    row_height = (per_bar + 8) if chart.stacked else (per_bar * n_series + 8)
    legend = 22 if n_series > 1 else 0
    top = 26 + legend
    plot_height = max(len(chart.categories), 1) * row_height
    height = top + plot_height + 44
    plot_x, plot_w = LABEL_WIDTH, WIDTH - LABEL_WIDTH - VALUE_SPACE
    values = [v or 0 for _name, vals in chart.series for v in vals]
    totals = [sum(vals[i] or 0 for _n, vals in chart.series) for i in range(len(chart.categories))]
    top_value = max((totals if chart.stacked else values) or [0])
    scale_max, steps = axis(top_value, chart.percent)

    title_id, desc_id = f"{chart.id}-title", f"{chart.id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'{_attrs(viewBox=f"0 0 {WIDTH} {height}", width=WIDTH, height=height)} '
        f'aria-labelledby="{title_id} {desc_id}" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.desc)}</desc>',
        f'<rect {_attrs(x=0, y=0, width=WIDTH, height=height, fill="#ffffff")}/>',
        _text(4, 16, chart.category_axis, font_weight="bold", class_="chart-axis-title"),
    ]
    if n_series > 1:  # the legend
        x = plot_x
        for index, (name, _vals) in enumerate(chart.series):
            colour = PALETTE[index % len(PALETTE)]
            parts.append(f'<rect {_attrs(x=_n(x), y=top - legend - 2, width=12, height=12, fill=colour)}/>')
            parts.append(_text(x + 16, top - legend + 8, name, size=FONT - 1))
            x += 16 + text_width(name, FONT - 1) + 14
    # Grid lines and the value axis with its ticks and its title.
    axis_y = top + plot_height
    for step in range(steps + 1):
        x = plot_x + plot_w * step / steps
        parts.append(f'<line {_attrs(x1=_n(x), y1=top - 4, x2=_n(x), y2=axis_y, stroke=GRID)}/>')
        parts.append(_text(x, axis_y + 16, fmt(scale_max * step / steps, chart.percent), size=FONT - 1, fill=MUTED,
                           text_anchor="middle"))
    parts.append(f'<line {_attrs(x1=plot_x, y1=axis_y, x2=plot_x + plot_w, y2=axis_y, stroke=MUTED)}/>')
    parts.append(_text(plot_x + plot_w / 2, axis_y + 36, chart.value_axis, text_anchor="middle",
                       class_="chart-axis-title"))
    if not chart.categories:
        parts.append(_text(plot_x + 8, top + 16, chart.empty_text, fill=MUTED))
    for row, category in enumerate(chart.categories):
        y0 = top + row * row_height + 4
        parts.append(f'<g><title>{escape(category)}</title>')
        parts.append(_text(plot_x - 8, y0 + (row_height - 8) / 2 + 4, fit(category, LABEL_WIDTH - 14),
                           text_anchor="end") + "</g>")
        x = plot_x
        for index, (name, vals) in enumerate(chart.series):
            value = vals[row] or 0
            width = plot_w * value / scale_max if scale_max else 0
            y = y0 if chart.stacked else y0 + index * per_bar
            bar_h = per_bar - (0 if chart.stacked else 2)
            label = "—" if vals[row] is None else fmt(value, chart.percent)  # a rate of nothing
            colour = PALETTE[index % len(PALETTE)]
            parts.append(f'<rect {_attrs(x=_n(x), y=y, width=_n(width), height=bar_h, fill=colour)}>'
                         f'<title>{escape(category)} · {escape(name)}: {escape(label)}</title></rect>')
            if chart.stacked:
                x += width
            else:
                parts.append(_text(x + width + 4, y + bar_h - 2, label, size=FONT - 1))
        if chart.stacked:
            parts.append(_text(x + 4, y0 + per_bar - 3, fmt(totals[row], chart.percent), size=FONT - 1))
    parts.append("</svg>")
    return Markup("".join(parts))
