"""A briefing's tables as an Excel workbook. Text cells can never become formulas (CSV/formula injection):
every string is stored as a string, and one starting with = + - @ or a control character is quoted."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from alerts.reasons import LEVEL_LABELS
from cockpit.core.export import safe_cell as safe
from cockpit.core.i18n import _
from cockpit.reports.explain import how
from cockpit.reports.html_doc import STATUS
from cockpit.reports.narrative import KIND_NAMES, SOURCE_STATES, period_label, tr


def write_xlsx(numbers: dict, target: Path) -> Path:
    """One sheet per table: summary, headline, warnings (by level, by domain, plans), tasks, cards, sources, and
    one per ranking."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Summary")[:31]
    title = _("{area} city operations {kind}", area=numbers["area"]["name"], kind=tr(KIND_NAMES[numbers["kind"]]))
    _rows(ws, [[numbers["city"] + numbers["issuer"]], [title],
               [_("Issue {n} of {year}", n=numbers["period"]["issue_no"], year=numbers["period"]["year"])],
               [period_label(numbers)], *([[_("Demo data")]] if numbers["demo"] else []), [],
               *[[p] for p in numbers["narrative"]]])
    ws.column_dimensions["A"].width = 120
    _sheet(wb, _("Headline figures"), [_("Indicator"), _("Unit"), _("Value"), _("Previous period"),
                                       _("Period on period (%)"), _("Same period last year"), _("Year on year (%)"),
                                       _("Target"), _("Target met")],
           [[h["name"], h["unit"], h["value"], h["previous"], h["mom_pct"], h["last_year"], h["yoy_pct"],
             h["target"], h["met"]] for h in numbers["headline"]])
    w = numbers["warnings"]
    _sheet(wb, _("Warnings by level"), [_("Level"), _("Warnings issued"), _("Resolved"), _("Open at period end")],
           [[tr(LEVEL_LABELS[r["level"]]), r["raised"], r["resolved"], r["open_at_end"]] for r in w["levels"]]
           + [[_("Total"), w["raised"], w["resolved"], w["open_at_end"]]])
    _sheet(wb, _("Warnings by domain"), [_("Domain"), _("Warnings issued"), _("Acknowledged"), _("Mean hours to acknowledge")],
           [[r["domain"], r["raised"], r["acknowledged"], r["ack_hours_mean"]] for r in w["by_domain"]])
    _sheet(wb, _("Emergency plans"), [_("Emergency plan"), _("Activations"), _("Ended")],
           [[r["name"], r["activations"], r["ended"]] for r in w["plans"]])
    t = numbers["tasks"]
    head = [_("Dispatched"), _("Closed"), _("Closed on time"), _("On-time rate"), _("Overdue at period end")]
    _sheet(wb, _("Tasks"), [_("Name"), *head],
           [[numbers["area"]["name"], *_task_cells(t["total"])],
            *[[r["name"], *_task_cells(r)] for r in t["by_district"]],
            *[[r["name"], *_task_cells(r)] for r in t["by_unit"]]])
    _sheet(wb, _("Cards"), [_("Unit"), _("Yellow cards"), _("Red cards")],
           [[c["name"], c["yellow"], c["red"]] for c in numbers["cards"]])
    _sheet(wb, _("Data sources"), [_("Data source"), _("State"), _("Longest gap (h)"), _("Failed runs")],
           [[s["name"], tr(SOURCE_STATES[s["state"]]), s["max_gap_hours"], s["failed_runs"]] for s in numbers["sources"]])
    for i, r in enumerate(numbers["rankings"], 1):
        kind = _("Districts") if r["subject_kind"] == "district" else _("Departments")
        _sheet(wb, f"{i} {tr(r['title'])} {kind}",
               [_("Rank"), _("Name"), _("Peer group"), _("Score"), _("Numerator"), _("Denominator"), _("Sample"),
                _("Change"), _("How it was computed")],
               [[x["rank"] if x["rank"] is not None else tr(STATUS[x["status"]]),
                 x["name"], x["group"], x["value"], x["numerator"], x["denominator"], x["sample"], x["change"],
                 how(x, r["metric"], r["unit"])] for x in r["rows"]])
    wb.save(target)
    return target


def _task_cells(r: dict) -> list:
    return [r["dispatched"], r["closed"], r["on_time"], r["on_time_rate"], r["overdue"]]


def _sheet(wb: Workbook, title: str, head: list[str], rows: list[list]) -> None:
    ws = wb.create_sheet(_sheet_title(title))
    _rows(ws, [head, *rows])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for col, _h in enumerate(head, 1):
        ws.column_dimensions[ws.cell(1, col).column_letter].width = 40 if col == len(head) and len(head) > 6 else 16
    for row in ws.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")


def _rows(ws, rows: list[list]) -> None:
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            cell = ws.cell(r, c)
            cell.value = safe(value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31]
