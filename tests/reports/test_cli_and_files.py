"""`cockpit report` writes HTML, PDF and XLSX; the PDF is A4 with embedded CJK fonts and page numbers and renders
to an image; the workbook never holds a formula."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cockpit.core.i18n import use_locale
from cockpit.reports.xlsx import write_xlsx
from tests.conftest import ROOT
from tests.reports.conftest import make_runtime


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The weekly briefing of 海陵区 for the week of 22 November 2026, written by the CLI."""
    folder = tmp_path_factory.mktemp("cli")
    rt = make_runtime(folder)
    config = rt.config_path
    rt.db.close()
    out = folder / "out"
    result = subprocess.run(
        [sys.executable, "-m", "cockpit.cli", "--config", str(config), "report", "weekly", "--area", "321202",
         "--date", "2026-11-22", "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out, [Path(p) for p in result.stdout.split()]


def test_cli_writes_the_three_formats(written):
    out, paths = written
    assert [p.name for p in paths] == ["weekly-321202-20261116.html", "weekly-321202-20261116.pdf",
                                       "weekly-321202-20261116.xlsx"]
    html = paths[0].read_text(encoding="utf-8")
    assert "海陵区城市运行周报" in html and "2026年第47期" in html and "2026年11月16日至2026年11月22日" in html
    numbers = json.loads((out / "weekly-321202-20261116.json").read_text())
    assert numbers["tasks"]["total"]["dispatched"] == 20  # 15 on the 22nd and 5 the day before, all in 海陵区


def test_pdf_is_a4_with_embedded_cjk_fonts_and_renders(written, tmp_path):
    pdf = written[1][1]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes yes yes " in line for line in cjk)  # embedded, subset, unicode map
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "泰州市城市运行管理中心" in text and "海陵区城市运行周报" in text
    flat = text.replace(" ", "")
    assert f"第1页共{pages}页" in flat and f"第{pages}页共{pages}页" in flat
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    png = next(tmp_path.glob("p*.png"))
    assert png.stat().st_size > 20_000  # a page with text on it, not a blank sheet


def test_workbook_tables_and_no_formula_cells(written, tmp_path):
    wb = load_workbook(written[1][2])
    assert len(wb.sheetnames) >= 6
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            assert all(cell.data_type != "f" for cell in row)
    assert [c.value for c in wb["任务"][2]][:2] == ["海陵区", 20]
    assert [c.value for c in wb["分级预警"][2]] == ["红色", 1, 1, 0]  # raised and resolved on the day
    assert [c.value for c in wb["应急预案"][2]] == ["大气重污染应急预案", 1, 1]


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    evil = "=HYPERLINK(\"http://x\",\"y\")"
    numbers = {
        "kind": "daily", "area": {"code": "321202", "name": evil, "level": "district"}, "city": "泰州市",
        "issuer": "城市运行管理中心", "demo": False,
        "period": {"start": "2026-11-22T00:00:00+08:00", "end": "2026-11-23T00:00:00+08:00",
                   "first_day": "2026-11-22", "last_day": "2026-11-22", "issue_no": 326, "year": 2026},
        "headline": [],
        "warnings": {"levels": [{"level": "red", "raised": 1, "resolved": 0, "open_at_end": 1}], "raised": 1,
                     "resolved": 0, "open_at_end": 1,
                     "by_domain": [{"domain": "=1+2", "raised": 1, "acknowledged": 0, "ack_hours_mean": None}],
                     "plans": [{"plan_id": "p", "name": "=WEBSERVICE(\"http://x\")", "activations": 1, "ended": 0}]},
        "tasks": {"total": {"dispatched": 1, "closed": 0, "on_time": 0, "overdue": 0, "on_time_rate": None},
                  "by_district": [], "by_unit": [{"unit_id": "u", "name": "+cmd|' /C calc'!A0", "dispatched": 1,
                                                  "closed": 0, "on_time": 0, "overdue": 0, "on_time_rate": None}]},
        "cards": [{"unit_id": "u", "name": "@SUM(1+1)", "yellow": 1, "red": 0}], "sources": [], "rankings": [],
        "narrative": ["-2+3"],
    }
    with use_locale("zh_CN"):
        write_xlsx(numbers, tmp_path / "evil.xlsx")
    values = [c for ws in load_workbook(tmp_path / "evil.xlsx").worksheets for row in ws.iter_rows() for c in row
              if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in values)
    risky = [c.value for c in values if c.value.lstrip("'").startswith(("=", "+", "-", "@"))]
    assert risky and all(v.startswith("'") for v in risky)
