"""Task statistics as an Excel workbook whose cells can never run as formulas (CSV/formula injection)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

from cockpit.core.export import safe_cell
from cockpit.core.i18n import N_, _


def workbook(title: str, headers: list[str], rows: list[list]) -> bytes:
    """An .xlsx file with one sheet: a header row and `rows`; every cell stored as a value, never a formula."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31] or "Sheet1"
    sheet.append([safe_cell(h) for h in headers])
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            if cell.data_type == "f":  # belt and braces: openpyxl marks any text starting with "=" as a formula
                cell.data_type = "s"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


# The statistics columns shown on the page and written to the workbook: (row key, label msgid, kind).
STAT_COLUMNS = [
    ("name", N_("Unit or area"), "text"),
    ("dispatched", N_("Dispatched"), "count"),
    ("closed", N_("Closed"), "count"),
    ("on_time", N_("Closed on time"), "count"),
    ("overdue", N_("Overdue"), "count"),
    ("mean_hours", N_("Mean handling hours"), "hours"),
    ("yellow_cards", N_("Yellow cards"), "count"),
    ("red_cards", N_("Red cards"), "count"),
    ("closed_rate", N_("Closure rate"), "rate"),
    ("on_time_rate", N_("On-time rate"), "rate"),
    ("solved_rate", N_("Solved rate"), "rate"),
    ("satisfied_rate", N_("Satisfaction rate"), "rate"),
]


def statistics_workbook(rows: list[dict]) -> bytes:
    """The statistics rows (from `queries.statistics`) as a workbook with translated headers; rates as numbers."""
    headers = [_(label) for _key, label, _kind in STAT_COLUMNS]
    body = []
    for r in rows:
        line = []
        for key, _label, kind in STAT_COLUMNS:
            value = r.get(key)
            line.append(round(value, 4) if kind in ("rate", "hours") and value is not None else value)
        body.append(line)
    return workbook(_("Task statistics"), headers, body)
