"""Horizontal bar charts as inline SVG, drawn on the server.

Accessible and CSP-safe: `role="img"` with a <title> and <desc> (named by aria-labelledby), every label and
value as real <text>, no script, no `style=` attribute (colours are presentation attributes; fonts come from
the stylesheet through classes). Bars are grouped (one bar per series) or stacked (one bar per category,
total at its end). The same numbers are always in a table beneath the chart.
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field

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
    totals: list[float] = field(default_factory=list)


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


def nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def fmt(value: float, percent: bool = False) -> str:
    if percent:
        return f"{value:.1f}%"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _attrs(**attrs) -> str:
    return " ".join(f'{name.rstrip("_").replace("_", "-")}="{escape(value)}"' for name, value in attrs.items())


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
    values = [v for _name, vals in chart.series for v in vals]
    totals = [sum(vals[i] for _n, vals in chart.series) for i in range(len(chart.categories))]
    top_value = max((totals if chart.stacked else values) or [0])
    scale_max = 100.0 if chart.percent and top_value <= 100 else nice_max(top_value)

    title_id, desc_id = f"{chart.id}-title", f"{chart.id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'{_attrs(viewBox=f"0 0 {WIDTH} {height}", width=WIDTH, height=height)} '
        f'aria-labelledby="{title_id} {desc_id}" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.desc)}</desc>',
        f'<rect {_attrs(x=0, y=0, width=WIDTH, height=height, fill="#ffffff")}/>',
        f'<text class="chart-axis-title" {_attrs(x=4, y=16, font_size=FONT, font_weight="bold", fill="#1c2430")}>'
        f'{escape(chart.category_axis)}</text>',
    ]
    if n_series > 1:
        x = plot_x
        for index, (name, _vals) in enumerate(chart.series):
            colour = PALETTE[index % len(PALETTE)]
            parts.append(f'<rect {_attrs(x=x, y=top - legend - 2, width=12, height=12, fill=colour)}/>')
            parts.append(f'<text {_attrs(x=x + 16, y=top - legend + 8, font_size=FONT - 1, fill="#1c2430")}>'
                         f'{escape(name)}</text>')
            x += 16 + text_width(name, FONT - 1) + 14
    # Grid lines and the value axis with its ticks.
    axis_y = top + plot_height
    for step in range(5):
        tick = scale_max * step / 4
        x = plot_x + plot_w * step / 4
        parts.append(f'<line {_attrs(x1=f"{x:.1f}", y1=top - 4, x2=f"{x:.1f}", y2=axis_y, stroke="#d5dbe2")}/>')
        parts.append(f'<text {_attrs(x=f"{x:.1f}", y=axis_y + 16, font_size=FONT - 1, fill="#4d5866")} '
                     f'text-anchor="middle">{escape(fmt(tick, chart.percent))}</text>')
    parts.append(f'<line {_attrs(x1=plot_x, y1=axis_y, x2=plot_x + plot_w, y2=axis_y, stroke="#4d5866")}/>')
    parts.append(f'<text class="chart-axis-title" {_attrs(x=plot_x + plot_w / 2, y=axis_y + 36, font_size=FONT, fill="#1c2430")} '
                 f'text-anchor="middle">{escape(chart.value_axis)}</text>')
    if not chart.categories:
        parts.append(f'<text {_attrs(x=plot_x + 8, y=top + 16, font_size=FONT, fill="#4d5866")}>'
                     f'{escape(chart.empty_text)}</text>')
    for row, category in enumerate(chart.categories):
        y0 = top + row * row_height + 4
        parts.append(f'<g><title>{escape(category)}</title>')
        parts.append(f'<text {_attrs(x=plot_x - 8, y=f"{y0 + (row_height - 8) / 2 + 4:.1f}", font_size=FONT, fill="#1c2430")} '
                     f'text-anchor="end">{escape(fit(category, LABEL_WIDTH - 14))}</text></g>')
        x = plot_x
        for index, (name, vals) in enumerate(chart.series):
            value = vals[row] or 0
            width = plot_w * value / scale_max if scale_max else 0
            colour = PALETTE[index % len(PALETTE)]
            y = y0 if chart.stacked else y0 + index * per_bar
            bar_h = per_bar - (0 if chart.stacked else 2)
            parts.append(f'<rect {_attrs(x=f"{x:.1f}", y=y, width=f"{width:.1f}", height=bar_h, fill=colour)}>'
                         f'<title>{escape(category)} · {escape(name)}: {escape(fmt(value, chart.percent))}</title></rect>')
            if chart.stacked:
                x += width
            else:
                parts.append(f'<text {_attrs(x=f"{x + width + 4:.1f}", y=y + bar_h - 2, font_size=FONT - 1, fill="#1c2430")}>'
                             f'{escape(fmt(value, chart.percent))}</text>')
        if chart.stacked:
            parts.append(f'<text {_attrs(x=f"{x + 4:.1f}", y=y0 + per_bar - 3, font_size=FONT - 1, fill="#1c2430")}>'
                         f'{escape(fmt(totals[row], chart.percent))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
