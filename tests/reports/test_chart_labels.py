"""Report charts are readable on a phone and at full width (issue 14): text is never below 12 px nor scaled
down with the drawing, and long Japanese skill names are shown whole, wrapped rather than cut."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from app.reports.charts import MIN_WIDTH, Chart, render, text_width

SVG = "{http://www.w3.org/2000/svg}"
LONG = "セル製造(混合・塗工・積層/巻回・注液・化成)と品質管理・歩留まり改善の実務"


def _chart(**kwargs) -> ET.Element:
    chart = Chart("c", "Title", "Description", [LONG, "電池の基礎"], [("日本→欧州", [12, 3]), ("欧州→日本", [5, None])],
                  "人材交流件数", "スキル分野", **kwargs)
    return ET.fromstring(str(render(chart)))


def test_text_is_readable_and_not_scaled():
    svg = _chart()
    assert svg.get("viewBox") is None and svg.get("width") == "100%"  # drawn at the page's width, text unscaled
    sizes = [float(t.get("font-size")) for t in svg.iter(f"{SVG}text")]
    assert sizes and min(sizes) >= 12


def test_long_japanese_names_are_wrapped_whole():
    for svg in (_chart(), _chart(stacked=True)):
        texts = [t.text or "" for t in svg.iter(f"{SVG}text")]
        assert not any("…" in t for t in texts)
        group = next(g for g in svg.iter(f"{SVG}g") if g.findtext(f"{SVG}title") == LONG)
        lines = [t.text for t in group.iter(f"{SVG}text")]
        assert "".join(lines) == LONG and len(lines) > 1
        assert all(text_width(line) <= MIN_WIDTH for line in lines)


def test_bars_are_shares_of_the_width():
    svg = _chart()
    widths = [r.get("width") for r in svg.iter(f"{SVG}rect")][1:]  # after the background
    assert all(re.fullmatch(r"[\d.]+%|12", w) for w in widths)
