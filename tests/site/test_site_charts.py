"""Trend charts read without the picture: a name, a description, the same numbers as a table, no clipped label."""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET

import pytest

SVG = re.compile(r"<svg class=\"dt-chart\".*?</svg>", re.S)
NS = "{http://www.w3.org/2000/svg}"
GLYPH = 0.6  # an average glyph width in ems for the theme's sans-serif text


def charts(out):
    """(page, html, svg element) of every trend chart in every built site."""
    for page in sorted(out.rglob("trends.html")):
        text = page.read_text(encoding="utf-8")
        for match in SVG.finditer(text):
            yield page, text, ET.fromstring(match.group(0))


def axis_fonts(out) -> dict[str, float]:
    """class of a set of axis labels → its font size, as the sites' stylesheet sets it."""
    css = next(out.rglob("assets/devtalks/devtalks.css")).read_text(encoding="utf-8")
    return {m[0]: float(m[1]) for m in re.findall(r"\.dt-chart \.(dt-axis-\w+) \{[^}]*font-size: ([\d.]+)px", css)}


def misplaced(svg, fonts: dict[str, float]) -> list[str]:
    """The labels of a chart that would be drawn (partly) outside its viewBox, or over the label before them."""
    _, _, width, height = map(float, svg.get("viewBox").split())
    wrong = []
    for axis in svg.iter(f"{NS}g"):
        font = next((fonts[c] for c in axis.get("class").split() if c in fonts), None)
        previous = {}  # baseline → right edge of the last label on it
        for text in axis.iter(f"{NS}text") if font else ():
            x, y, length = float(text.get("x")), float(text.get("y")), len(text.text) * GLYPH * font
            left = {"start": x, "middle": x - length / 2, "end": x - length}[text.get("text-anchor", "start")]
            if left < 0 or left + length > width or y - font * 0.95 < 0 or y + font * 0.25 > height:
                wrong.append(f"{text.text} at {font:g} runs off the chart")
            if left < previous.get(y, 0):
                wrong.append(f"{text.text} at {font:g} overlaps the label before it")
            previous[y] = left + length
    return wrong


def test_every_label_lies_inside_the_chart(built):
    _, out = built
    fonts = axis_fonts(out)
    assert set(fonts) == {"dt-axis-wide", "dt-axis-narrow"}
    found = 0
    for page, _, svg in charts(out):
        found += len(list(svg.iter(f"{NS}text")))
        assert not misplaced(svg, fonts), f"{page}: {misplaced(svg, fonts)}"
    assert found > 50, "the example's trend pages have charts with axis labels"


def test_a_chart_has_a_name_a_description_and_its_numbers_as_a_table(built):
    _, out = built
    seen = 0
    for page, text, svg in charts(out):
        seen += 1
        title, desc = svg.find(f"{NS}title"), svg.find(f"{NS}desc")
        assert svg.get("role") == "img" and svg.get("aria-labelledby") == title.get("id") and title.text
        assert desc is not None and desc.text
        table = re.search(rf'<table[^>]* id="{svg.get("aria-describedby")}">(.*?)</table>', text, re.S)
        assert table, f"{page}: the chart's description is a table on the same page"
        header = [html.unescape(h) for h in re.findall(r'<th scope="col">(.*?)</th>', table.group(1))][1:]
        rows = [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", table.group(1))]
        lines = [g for g in svg.iter(f"{NS}g") if g.get("class").startswith("dt-s")]
        for column, series in zip(header, lines, strict=True):
            drawn = [c.find(f"{NS}title").text for c in series.iter(f"{NS}circle")]
            assert all(d.startswith(f"{column}, ") for d in drawn)
            assert [d.rsplit(": ", 1)[1] for d in drawn] == [r[header.index(column)] for r in rows
                                                             if r[header.index(column)] != "–"]
    assert seen > 5


@pytest.mark.parametrize("label, last", [("3 dec 2026", dt.date(2026, 12, 3)), ("30 september 26", dt.date(2026, 12, 3)),
                                         ("3 dec 2026", dt.date(2026, 1, 9))])
def test_long_dates_stay_inside_and_apart(built, label, last):
    from devtalks.site.charts import Series, line_chart

    days = (dt.date(2026, 1, 1), last)
    figure = str(line_chart([Series("A", tuple((d, 3.0) for d in days))], 1, 5, "x", lambda d: label, "c"))
    svg = ET.fromstring(SVG.search(figure).group(0))
    assert label in [t.text for t in svg.iter(f"{NS}text")]
    assert not misplaced(svg, axis_fonts(built[1]))
