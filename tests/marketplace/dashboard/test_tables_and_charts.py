"""CSV export (BOM, Chinese headers, spreadsheet-safe) and the SVG charts' text and a11y parts."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree

from marketplace.dashboard import charts
from marketplace.dashboard.tables import Table, csv_text

SVG = "{http://www.w3.org/2000/svg}"


def test_csv_starts_with_a_bom_and_has_the_chinese_headers() -> None:
    table = Table(
        "t", "标题", ["区县", "在招职位数", "招满率"], [["环翠区", 3, 0.5], ["文登区", 1, None]]
    )
    text = csv_text(table)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [["区县", "在招职位数", "招满率"], ["环翠区", "3", "0.50"], ["文登区", "1", ""]]


def test_csv_keeps_a_formula_looking_cell_as_text() -> None:
    text = csv_text(Table("t", "标题", ["名称"], [["=HYPERLINK(1)"], ["-5"]]))
    assert "'=HYPERLINK(1)" in text
    assert "\r\n-5\r\n" in text  # a plain negative number stays a number


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - our own markup, not untrusted input


def test_bar_chart_has_title_desc_and_every_value_as_text() -> None:
    svg = charts.bar_chart("c1", "按区县", ["环翠区", "荣成市"], [12, 3], name="招聘人数")
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.findtext(f"{SVG}title") == "按区县"
    desc = root.findtext(f"{SVG}desc") or ""
    assert "环翠区 12" in desc
    assert "荣成市 3" in desc
    values = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "value"]
    assert values == ["12", "3"]


def test_grouped_bar_chart_draws_one_bar_per_series_with_a_legend() -> None:
    svg = charts.grouped_bar_chart(
        "c2", "行业", ["船舶", "水产"], [("招聘人数", [10, 4]), ("录用人数", [2, 1])]
    )
    root = _parse(svg)
    assert len([r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]) == 4
    assert "录用人数" in svg
    assert "招聘人数" in svg


def test_line_chart_breaks_at_missing_values_and_writes_percentages() -> None:
    svg = charts.line_chart(
        "c3",
        "招满率",
        ["2026-05-04", "2026-05-11", "2026-05-18"],
        [("招满率", [0.5, None, 1.0])],
        percent=True,
    )
    root = _parse(svg)
    values = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "value"]
    assert values == ["50%", "100%"]
    assert not list(root.iter(f"{SVG}polyline"))  # no two neighbouring points to join


def test_a_chart_with_no_data_says_so() -> None:
    assert "暂无数据" in charts.bar_chart("c4", "空", [], [])


def test_labels_are_escaped() -> None:
    svg = charts.bar_chart("c5", "<b>", ["A&B"], [1])
    _parse(svg)  # well-formed
    assert "A&amp;B" in svg
    assert "&lt;b&gt;" in svg
