"""Spreadsheet cells that can never run as formulas (CSV/formula injection, OWASP; MLPS T21 output checks).

A text value starting with = + - @ (or their full-width forms, which WPS also reads) or a control character is
prefixed with an apostrophe so that Excel/WPS show it instead of evaluating it. Every workbook the product
writes passes its cells through `safe_cell`.
"""

from __future__ import annotations

from datetime import datetime

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value):
    """A cell value a spreadsheet will not evaluate: risky text gets a leading apostrophe; timestamps lose their
    zone (Excel has none); numbers and None pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value
