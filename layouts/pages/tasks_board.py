"""任务看板 `/tasks`: columns by state with counts, filters, overdue first, and a manual dispatch dialog;
`/tasks?id=<task id>` opens 任务详情."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from cockpit.auth.guard import current_user, guarded
from cockpit.core import store
from cockpit.core.i18n import _
from cockpit.core.scope import contains
from cockpit.core.store import User
from cockpit.tasks import queries
from cockpit.tasks.model import ORIGIN_LABELS, STATE_LABELS
from layouts.components.common import empty_state, page_header
from layouts.components.dispatch import dispatch_dialog, instruction_dialog
from layouts.components.task_detail import task_detail_panel, task_href
from layouts.components.task_parts import (
    PRIORITY_LABELS,
    card_badge,
    due_text,
    origin_label,
    overdue_badge,
    priority_badge,
)
from layouts.context import services

ROLES = frozenset({"duty_officer", "center_operator", "leader"})
COLUMNS, COUNTS, POLL = "tb-columns", "tb-counts", "tb-poll"
FILTERS = {k: f"tb-filter-{k}" for k in ("state", "unit", "priority", "origin", "area")}
POLL_MS = 15_000


def layout(user: User, params: dict):
    """The board, or one task's detail when `id` is given."""
    if params.get("id"):
        return html.Div([
            page_header(_("Task detail"), crumbs=[(_("Task board"), "/tasks"), (params["id"][:40], None)]),
            task_detail_panel(user, params["id"][:40]),
        ])
    db = services().db
    units = [{"label": u["name"], "value": u["unit_id"]} for u in store.units(db)]
    areas = [{"label": a.name, "value": a.code} for a in store.areas(db) if contains(user.area_code, a.code)
             and a.level != "street"]
    filters = dbc.Row([
        dbc.Col(dcc.Dropdown(id=FILTERS["state"], multi=True, placeholder=_("All states"),
                             options=[{"label": _(STATE_LABELS[s]), "value": s} for s in queries.BOARD_STATES]),
                md=3),
        dbc.Col(dcc.Dropdown(id=FILTERS["unit"], options=units, placeholder=_("All units")), md=3),
        dbc.Col(dcc.Dropdown(id=FILTERS["priority"], placeholder=_("All priorities"), options=[
            {"label": _(PRIORITY_LABELS.get(p, p)), "value": p} for p in services().config.tasks.sla]), md=2),
        dbc.Col(dcc.Dropdown(id=FILTERS["origin"], placeholder=_("All origins"), options=[
            {"label": _(label), "value": o} for o, label in ORIGIN_LABELS.items()]), md=2),
        dbc.Col(dcc.Dropdown(id=FILTERS["area"], options=areas, placeholder=_("All my areas")), md=2),
    ], className="g-2 mb-3 task-filters")
    return html.Div([
        html.Div([page_header(_("Task board"), _("Dispatched tasks in your area, overdue first")),
                  _new_task(user)], className="header-row mb-2"),
        filters,
        html.Div(id=COUNTS, className="task-counts mb-2"),
        dcc.Interval(id=POLL, interval=POLL_MS),
        html.Div(board(user, {}), id=COLUMNS),
    ])


def _new_task(user: User):
    """A leader writes an instruction (批示) on their area; the desk dispatches a manual task."""
    if user.role == "leader":
        return instruction_dialog(user, "board-manual", f"area:{user.area_code}", area_code=user.area_code,
                                  button_label=_("Leader instruction"), button_size=None)
    return dispatch_dialog(user, "board-manual", button_label=_("New task"))


def board(user: User, chosen: dict):
    """The columns of the board for the chosen filters."""
    svc = services()
    now = svc.clock.now()
    data = queries.board(svc.db, user, now, states=chosen.get("state") or None, unit=chosen.get("unit"),
                         area=chosen.get("area"), priority=chosen.get("priority"), origin=chosen.get("origin"))
    names = {u["unit_id"]: u["short"] or u["name"] for u in store.units(svc.db)}
    tz = svc.config.city.timezone
    if not any(data["columns"].values()):
        return empty_state(_("No tasks"), _("Tasks dispatched in your area appear here."), icon="list-task")
    columns = []
    for state, rows in data["columns"].items():
        count = data["counts"][state]
        head = html.Div([html.Span(_(STATE_LABELS[state]), className="col-title"),
                         dbc.Badge(str(count["total"]), color="secondary", className="ms-1 col-count"),
                         dbc.Badge(_("{n} overdue", n=count["overdue"]), color="danger", className="ms-1")
                         if count["overdue"] else None], className="board-col-head")
        cards = [_card(user, r, names, tz) for r in rows]
        columns.append(html.Section([head, html.Div(cards, className="board-col-body")],
                                    className="board-col", **{"data-state": state}))
    return html.Div(columns, className="task-board")


def _card(user: User, row: dict, names: dict, tz: str):
    return html.A([
        html.Div([priority_badge(row["priority"]), overdue_badge(row), card_badge(row["card"])],
                 className="task-badges"),
        html.Div(row["title"], className="board-card-title"),
        html.Div([names.get(row["to_unit"], row["to_unit"]), " · ", origin_label(row["origin"])],
                 className="board-card-meta"),
        html.Div(due_text(row, tz), className="board-card-due"),
        dbc.Progress(value=row["progress"], className="board-card-progress", style={"height": ".35rem"}),
    ], href=task_href(user, row["task_id"]), className="board-card" + (" is-overdue" if row["overdue"] else ""),
        **{"data-task": row["task_id"]})


@callback(Output(COLUMNS, "children"), Output(COUNTS, "children"),
          *(Input(v, "value") for v in FILTERS.values()), Input(POLL, "n_intervals"))
@guarded(ROLES)
def filter_board(state, unit, priority, origin, area, _n):
    """Re-draw the board for the chosen filters (and every few seconds)."""
    user = current_user()
    if area and not contains(user.area_code, area):
        area = user.area_code  # the query scopes by the user anyway; never widen it from the browser
    chosen = {"state": state, "unit": unit, "priority": priority, "origin": origin, "area": area}
    svc = services()
    counts = queries.board(svc.db, user, svc.clock.now())["counts"]
    total = sum(c["total"] for s, c in counts.items() if s != "closed")
    late = sum(c["overdue"] for c in counts.values())
    summary = [dbc.Badge(_("{n} open", n=total), color="primary", className="me-1", id="board-open-count"),
               dbc.Badge(_("{n} overdue", n=late), color="danger" if late else "secondary", id="board-overdue-count")]
    return board(user, chosen), summary
