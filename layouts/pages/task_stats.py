"""任务统计 `/task-stats` for leaders: dispatched, on time, overdue, mean handling time, cards, and 办结率 apart from
解决率 and 满意率, by unit, district or area; an Excel download (audited, formula-safe cells)."""

from __future__ import annotations

from datetime import timedelta

import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from cockpit.auth.guard import current_user, guarded
from cockpit.core.i18n import N_, _, fmt_number, fmt_percent
from cockpit.core.store import User
from cockpit.tasks import queries
from cockpit.tasks.export import STAT_COLUMNS
from cockpit.tasks.web import STATISTICS_ROLES, statistics_url
from layouts.components.common import empty_state, page_header, panel, stat_card
from layouts.context import services

ROLES = STATISTICS_ROLES
PERIOD, GROUP, BODY, DOWNLOAD = "ts-period", "ts-group", "ts-body", "ts-download"
GROUPS = {"unit": N_("By unit"), "district": N_("By district"), "area": N_("By area")}


def layout(user: User, params: dict):
    """Controls, headline figures and the table."""
    controls = dbc.Row([
        dbc.Col(dbc.Select(id=PERIOD, value="30", options=[
            {"label": _("Last {n} days", n=d), "value": str(d)} for d in queries.STAT_PERIODS]), xs=6, md=3),
        dbc.Col(dbc.Select(id=GROUP, value="unit", options=[
            {"label": _(label), "value": key} for key, label in GROUPS.items()]), xs=6, md=3),
        dbc.Col(html.A([html.I(className="bi bi-file-earmark-excel me-1"), _("Download Excel")], id=DOWNLOAD,
                       href=statistics_url(30, "unit"), className="btn btn-outline-success"), md="auto"),
    ], className="g-2 mb-3")
    return html.Div([
        page_header(_("Task statistics"), _("Dispatch, timeliness and satisfaction of tasks in your area")),
        controls,
        html.Div(statistics_view(user, 30, "unit"), id=BODY),
    ])


def statistics_view(user: User, days: int, by: str):
    """Headline figures and the table for a period and grouping."""
    svc = services()
    now = svc.clock.now()
    rows = queries.statistics(svc.db, user, now - timedelta(days=days), now, now, by=by)
    if not rows:
        return empty_state(_("No tasks in this period"), _("Statistics appear once tasks are dispatched."),
                           icon="bar-chart")
    total = queries.statistics_total(rows)
    cards = dbc.Row([
        dbc.Col(stat_card(_("Dispatched"), fmt_number(total["dispatched"])), xs=6, lg=2),
        dbc.Col(stat_card(_("Closed on time"), fmt_number(total["on_time"])), xs=6, lg=2),
        dbc.Col(stat_card(_("Overdue"), fmt_number(total["overdue"]), level="red" if total["overdue"] else None),
                xs=6, lg=2),
        dbc.Col(stat_card(_("Mean handling hours"), fmt_number(total["mean_hours"], 1), _("h")), xs=6, lg=2),
        dbc.Col(stat_card(_("Closure rate"), fmt_percent(total["closed_rate"])), xs=6, lg=2),
        dbc.Col(stat_card(_("Satisfaction rate"), fmt_percent(total["satisfied_rate"]),
                          note=_("Solved rate {rate}", rate=fmt_percent(total["solved_rate"]))), xs=6, lg=2),
    ], className="g-3 mb-3", id="task-stat-cards")
    head = html.Thead(html.Tr([html.Th(_(label), className="" if kind == "text" else "num")
                               for _key, label, kind in STAT_COLUMNS]))
    body = html.Tbody([html.Tr([_cell(r.get(key), kind) for key, _label, kind in STAT_COLUMNS]) for r in rows]
                      + [html.Tr([_cell(_("Total") if key == "name" else total.get(key), kind)
                                  for key, _label, kind in STAT_COLUMNS], className="fw-bold")])
    table = dbc.Table([head, body], size="sm", hover=True, responsive=True, id="task-stat-table")
    return [cards, panel(_(GROUPS[by]), table)]


def _cell(value, kind: str):
    if kind == "text":
        return html.Td(value)
    if kind == "rate":
        return html.Td(fmt_percent(value), className="num")
    if kind == "hours":
        return html.Td(fmt_number(value, 1), className="num")
    return html.Td(fmt_number(value), className="num")


@callback(Output(BODY, "children"), Output(DOWNLOAD, "href"), Input(PERIOD, "value"), Input(GROUP, "value"),
          prevent_initial_call=True)
@guarded(ROLES)
def show_statistics(period, by):
    """Re-compute for the chosen period and grouping (scoped by the user in the query)."""
    days = int(period) if str(period).isdigit() and int(period) in queries.STAT_PERIODS else 30
    by = by if by in GROUPS else "unit"
    return statistics_view(current_user(), days, by), statistics_url(days, by)
