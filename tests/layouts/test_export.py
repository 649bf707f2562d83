"""Excel downloads never carry a live formula: text that Excel would evaluate is shown as text."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from layouts.export import safe_cell, workbook


def test_formula_like_text_is_neutralised_and_numbers_stay_numbers():
    data = workbook([("趋势", ["时间", "值", "备注"], [
        ("11月23日", 96.5, "=HYPERLINK(\"http://x\",\"y\")"),
        ("11月22日", None, "+1+1"),
        ("11月21日", -3, "@SUM(A1)"),
        ("11月20日", 1, "\uff1d1+1"),
        ("11月19日", 2, "正常文字"),
    ])])
    sheet = load_workbook(io.BytesIO(data))["趋势"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in rows] == ["'=HYPERLINK(\"http://x\",\"y\")", "'+1+1", "'@SUM(A1)", "'\uff1d1+1", "正常文字"]
    assert [r[1] for r in rows] == [96.5, None, -3, 1, 2]  # numbers, missing stays empty (never 0)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_timestamps_lose_their_zone_only():
    t = datetime(2026, 11, 23, 6, tzinfo=UTC)
    assert safe_cell(t) == datetime(2026, 11, 23, 6)
    assert safe_cell(-1.5) == -1.5
