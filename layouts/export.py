"""Excel downloads of what a page shows. Text cells are made formula-safe: a value starting with = + - @ or a
control character is prefixed with an apostrophe so Excel shows it instead of evaluating it (CSV/formula
injection, OWASP)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook

from cockpit.core.export import safe_cell


def workbook(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence]]]) -> bytes:
    """An .xlsx file of (sheet title, header, rows), every cell passed through `safe_cell`."""
    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(safe_cell(title)[:31].replace("'", ""))
        sheet.append([safe_cell(h) for h in header])
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
        for col in sheet.columns:
            width = max((len(str(c.value)) for c in col if c.value is not None), default=8)
            sheet.column_dimensions[col[0].column_letter].width = min(40, max(10, width * 1.6))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
