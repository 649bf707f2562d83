"""A briefing as one self-contained HTML document (no script, no outside resource): the in-app view and the
source of the PDF. Laid out like a government notice: the issuer in red, the issue number and date, a red rule."""

from __future__ import annotations

from datetime import date

from markupsafe import escape

from alerts.reasons import LEVEL_LABELS
from cockpit.core.i18n import N_, _, fmt_number, fmt_percent
from cockpit.reports.explain import how, show_value
from cockpit.reports.narrative import KIND_NAMES, SOURCE_STATES, change_words, period_label, tr

STATUS = {"insufficient": N_("Insufficient sample"), "no_data": N_("No data")}
FONTS = '"Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Serif SC", serif'

CSS = """
@page { size: A4; margin: 18mm 15mm 20mm 15mm;
  @bottom-center { content: %(page)s; font-size: 9pt; color: #444; font-family: %(fonts)s; } }
body { font-family: %(fonts)s; font-size: 10.5pt; color: #111; line-height: 1.55; margin: 0; }
.sheet { max-width: 180mm; margin: 0 auto; }
.band { text-align: center; color: #c00000; border-bottom: 3px solid #c00000; padding-bottom: 4mm;
  margin-bottom: 5mm; }
.band .issuer { font-size: 24pt; font-weight: bold; letter-spacing: 0.12em; }
.band .title { font-size: 17pt; font-weight: bold; letter-spacing: 0.3em; margin-top: 1mm; }
.band .meta { display: flex; justify-content: space-between; color: #111; font-size: 10.5pt; margin-top: 3mm; }
.demo { color: #8a5a00; font-size: 9pt; text-align: right; }
h2 { font-size: 12.5pt; margin: 5mm 0 2mm; border-left: 4px solid #c00000; padding-left: 2mm; }
h3 { font-size: 11pt; margin: 3mm 0 1mm; }
p.lead { text-indent: 2em; margin: 1mm 0; }
table { width: 100%%; border-collapse: collapse; table-layout: fixed; margin-bottom: 2mm; font-size: 9pt; }
th, td { border: 0.6pt solid #999; padding: 1mm 1.5mm; overflow-wrap: anywhere; vertical-align: top; }
th { background: #f3e5e5; font-weight: bold; text-align: center; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.how { font-size: 8pt; color: #333; }
tr.own td { background: #fff4cc; }
.none { color: #666; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
"""


class SmallText(str):
    """A cell shown in small print (the computation behind a score)."""


def css_content(template: str) -> str:
    """A catalog text with {page} and {pages} as a CSS `content` value using the page counters."""
    parts, rest = [], template
    while rest:
        i = min((rest.find(k) for k in ("{page}", "{pages}") if rest.find(k) >= 0), default=-1)
        if i < 0:
            parts.append('"' + rest.replace('"', "") + '"')
            break
        if i:
            parts.append('"' + rest[:i].replace('"', "") + '"')
        key = "{pages}" if rest.startswith("{pages}", i) else "{page}"
        parts.append("counter(pages)" if key == "{pages}" else "counter(page)")
        rest = rest[i + len(key):]
    return " ".join(parts)


def render(numbers: dict) -> str:
    """The whole briefing as HTML text."""
    title = _("{area} city operations {kind}", area=numbers["area"]["name"], kind=tr(KIND_NAMES[numbers["kind"]]))
    body = [_header(numbers, title), _section(_("Summary"), "".join(f"<p class='lead'>{escape(p)}</p>"
                                                                    for p in numbers["narrative"]))]
    body.append(_section(_("Headline figures"), _headline(numbers["headline"])))
    body.append(_section(_("Warnings and emergency plans"), _warnings(numbers["warnings"])))
    body.append(_section(_("Tasks dispatched, closed and overdue"), _tasks(numbers["tasks"])))
    body.append(_section(_("Yellow and red cards by unit"), _table(
        [_("Unit"), _("Yellow cards"), _("Red cards")],
        [[c["name"], _n(c["yellow"]), _n(c["red"])] for c in numbers["cards"]], [1, 2])))
    body.append(_section(_("Late or broken data sources"), _table(
        [_("Data source"), _("State"), _("Longest gap (h)"), _("Failed runs")],
        [[s["name"], tr(SOURCE_STATES[s["state"]]), fmt_number(s["max_gap_hours"], 1), _n(s["failed_runs"])]
         for s in numbers["sources"]], [2, 3], empty=_("Every data source delivered on schedule."))))
    body.append(_section(_("Rankings"), "".join(_ranking(r) for r in numbers["rankings"])))
    page = css_content(_("Page {page} of {pages}"))
    return (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{escape(title)}</title>"
            f"<style>{CSS % {'page': page, 'fonts': FONTS}}</style></head>"
            f"<body><div class='sheet'>{''.join(body)}</div></body></html>")


def _header(numbers: dict, title: str) -> str:
    p = numbers["period"]
    issued = date.fromisoformat(p["end"][:10])
    issue = _("Issue {n} of {year}", n=p["issue_no"], year=p["year"])
    issued_on = _("Issued {year}-{month}-{day}", year=issued.year, month=issued.month, day=issued.day)
    demo = _("Demo data")
    demo_line = f"<div class='demo'>{escape(demo)}</div>" if numbers["demo"] else ""
    return (f"<div class='band'><div class='issuer'>{escape(numbers['city'] + numbers['issuer'])}</div>"
            f"<div class='title'>{escape(title)}</div>"
            f"<div class='meta'><span>{escape(issue)}</span><span>{escape(period_label(numbers))}</span>"
            f"<span>{escape(issued_on)}</span></div></div>{demo_line}")


def _section(title: str, inner: str) -> str:
    return f"<h2>{escape(title)}</h2>{inner}"


def _subtitle(text: str) -> str:
    return f"<h3>{escape(text)}</h3>"


def _none(text: str) -> str:
    return f"<p class='none'>{escape(text)}</p>"


def _n(value) -> str:
    return fmt_number(value)


def _table(head: list[str], rows: list[list[str]], num_cols: list[int], empty: str | None = None,
           classes: list[str] | None = None, widths: list[int] | None = None) -> str:
    if not rows:
        return _none(empty or _("None in this period."))
    cols = "".join(f"<col style='width:{w}%'>" for w in widths) if widths else ""
    out = [f"<table>{cols}<thead><tr>", *(f"<th>{escape(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for i, row in enumerate(rows):
        cls = f" class='{classes[i]}'" if classes and classes[i] else ""
        out.append(f"<tr{cls}>")
        for j, cell in enumerate(row):
            kind = " class='num'" if j in num_cols else (" class='how'" if isinstance(cell, SmallText) else "")
            out.append(f"<td{kind}>{escape(cell)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _headline(items: list[dict]) -> str:
    rows = [[h["name"], f"{fmt_number(h['value'], 2)} {h['unit']}" if h["value"] is not None else "—", fmt_number(h["previous"], 2),
             change_words(h["mom_pct"]), fmt_number(h["last_year"], 2), change_words(h["yoy_pct"]),
             fmt_number(h["target"], 2), {True: _("Met"), False: _("Missed"), None: "—"}[h["met"]]] for h in items]
    return _table([_("Indicator"), _("Value"), _("Previous period"), _("Period on period"), _("Same period last year"),
                   _("Year on year"), _("Target"), _("Target met")], rows, [1, 2, 4, 6],
                  empty=_("No headline indicators are configured."), widths=[22, 12, 11, 12, 11, 12, 9, 11])


def _warnings(w: dict) -> str:
    head = [_("Level"), _("Warnings issued"), _("Resolved"), _("Open at period end")]
    out = _table(head, [[tr(LEVEL_LABELS[r["level"]]), _n(r["raised"]), _n(r["resolved"]), _n(r["open_at_end"])]
                        for r in w["levels"]] + [[_("Total"), _n(w["raised"]), _n(w["resolved"]), _n(w["open_at_end"])]],
                 [1, 2, 3])
    if w["by_domain"]:
        out += _subtitle(_("By domain")) + _table(
            [_("Domain"), _("Warnings issued"), _("Acknowledged"), _("Mean hours to acknowledge")],
            [[r["domain"] or "—", _n(r["raised"]), _n(r["acknowledged"]), fmt_number(r["ack_hours_mean"], 1)]
             for r in w["by_domain"]], [1, 2, 3])
    out += _subtitle(_("Emergency plans started")) + _table(
        [_("Emergency plan"), _("Activations"), _("Ended")],
        [[r["name"], _n(r["activations"]), _n(r["ended"])] for r in w["plans"]], [1, 2],
        empty=_("No emergency plan was started in the period."))
    return out


def _tasks(tasks: dict) -> str:
    t = tasks["total"]
    head = [_("Dispatched"), _("Closed"), _("Closed on time"), _("On-time rate"), _("Overdue at period end")]
    out = _table(head, [[_n(t["dispatched"]), _n(t["closed"]), _n(t["on_time"]), fmt_percent(t["on_time_rate"], 1),
                         _n(t["overdue"])]], [0, 1, 2, 3, 4])
    for title, rows in ((_("By district"), tasks["by_district"]), (_("By receiving unit"), tasks["by_unit"])):
        if rows:
            out += f"<h3>{escape(title)}</h3>" + _table(
                [_("Name"), *head], [[r["name"], _n(r["dispatched"]), _n(r["closed"]), _n(r["on_time"]),
                                      fmt_percent(r["on_time_rate"], 1), _n(r["overdue"])] for r in rows],
                [1, 2, 3, 4, 5])
    return out


def _ranking(r: dict) -> str:
    kind = _("Districts") if r["subject_kind"] == "district" else _("Departments")
    rows, classes = [], []
    shown = [x for x in r["rows"] if x["status"] != "no_data"]
    for x in sorted(shown, key=lambda x: (x["group"] or "", x["rank"] is None, x["rank"] or 0, x["subject"])):
        rank = str(x["rank"]) if x["rank"] is not None else tr(STATUS[x["status"]])
        change = "—" if x["change"] is None else ("↑" + str(x["change"]) if x["change"] > 0 else
                                                  ("↓" + str(-x["change"]) if x["change"] < 0 else "0"))
        rows.append([rank, x["name"], x["group"] or "—", show_value(x["value"], r["unit"]), change,
                     SmallText(how(x, r["metric"], r["unit"]))])
        classes.append("own" if x.get("own") else "")
    missing = [x["name"] for x in r["rows"] if x["status"] == "no_data"]
    table = _table([_("Rank"), _("Name"), _("Peer group"), _("Score"), _("Change"), _("How it was computed")], rows,
                   [3], classes=classes, widths=[10, 14, 9, 12, 8, 47], empty=_("Nobody has data to rank."))
    note = _none(_("No data this period: {names}.", names=_("; ").join(missing))) if missing else ""
    return f"<h3>{escape(tr(r['title']))} · {escape(kind)}</h3>{table}{note}"
