"""数据接入: the health of every connected system, "run now", and the quarantine browser.

The administrator sees the systems' health and may run or re-process a source, but not the quarantined
raw rows: they are business data (separation of duties); only the city center's operators browse them.
"""

from __future__ import annotations

import json

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from cockpit.auth.guard import Forbidden, client_ip, current_user, guarded
from cockpit.core.i18n import N_, _, fmt_datetime, fmt_number, fmt_percent
from cockpit.core.store import User
from layouts.components.common import empty_state, page_header, panel
from layouts.context import services

ROLES = ("admin", "center_operator")
TABLE = "sources-table"
TICK = "sources-tick"
FEEDBACK = "sources-feedback"
ROW_ACTION = "sources-row-action"
Q_SOURCE = "quarantine-source"
Q_PAGE = "quarantine-page"
Q_PREV = "quarantine-prev"
Q_NEXT = "quarantine-next"
Q_BODY = "quarantine-body"
PAGE_SIZE = 20

KIND_LABELS = {
    "file_drop": N_("File drop"), "sql": N_("Exchange database"), "http_json": N_("Data API"),
    "mqtt": N_("IoT (MQTT)"), "manual_form": N_("Manual form"),
}


def layout(user: User, params: dict):
    """The 数据接入 page."""
    desk = services().ingest
    if desk is None:
        return empty_state(_("Data sources are not available"), _("The ingest services are not running."))
    rows = desk.sources(user)
    reader = _may_read_quarantine(user)
    parts = [
        page_header(_("Data sources"), _("Every connected system: delivery, timeliness and errors")),
        html.Div(id=FEEDBACK),
        panel(_("Sources"), html.Div(source_table(rows, reader), id=TABLE)),
        html.P(_("Timeliness (7 days): the share of scheduled collection slots in the last 7 days (since the "
                 "first run, if later) in which a successful run finished on time; a run late by more than a "
                 "tenth of the schedule does not count, and catching up does not fill earlier gaps."),
               className="text-muted small mt-2", id="timeliness-definition"),
        dcc.Interval(id=TICK, interval=5000),
    ]
    if reader:
        options = [{"label": f"{r['name']} ({r['id']})", "value": r["id"]} for r in rows]
        parts.append(panel(_("Quarantine"), [
            dbc.Row([
                dbc.Col(dbc.Select(id=Q_SOURCE, options=options, value=params.get("source") or
                                   next((r["id"] for r in rows if r["quarantine_waiting"]), None),
                                   placeholder=_("Source")), md=4),
                dbc.Col([dbc.Button(_("Previous"), id=Q_PREV, size="sm", color="secondary", className="me-2"),
                         dbc.Button(_("Next"), id=Q_NEXT, size="sm", color="secondary")], md=4),
            ], className="g-2 mb-2"),
            dcc.Store(id=Q_PAGE, data=0),
            html.Div(id=Q_BODY),
        ], class_name="mt-3"))
    return html.Div(parts)


def source_table(rows: list[dict], reader: bool):
    """One row per source: kind, owner, schedule, last success, lag, today's rows, 及时率, status, actions."""
    tz = services().config.city.timezone
    body = []
    for r in rows:
        actions = [_action(r["id"], "run", _("Run now"), disabled=r["running"] or not r["enabled"])]
        if r["quarantine_waiting"]:
            actions.append(_action(r["id"], "reprocess", _("Re-process quarantine")))
            if reader:
                actions.append(dcc.Link(_("View quarantine"), href=f"/sources?source={r['id']}",
                                        className="small me-2"))
        timely = fmt_percent(r["timeliness"]) if r["timeliness"] is not None else "—"
        body.append(html.Tr([
            html.Td([html.Div(r["name"]), html.Div(r["id"], className="code small text-muted")]),
            html.Td(_(KIND_LABELS.get(r["kind"], r["kind"]))),
            html.Td(r["owner_name"] or "—"),
            html.Td(_("every {interval}", interval=_interval(r["schedule"]))),
            html.Td(fmt_datetime(_parse(r["last_success"]), tz, "short")),
            html.Td(_age(r["lag_seconds"]), className="num"),
            html.Td(fmt_number(r["rows_loaded_today"]), className="num"),
            html.Td(fmt_number(r["rows_quarantined_today"]), className="num"),
            html.Td(timely, className="num",
                    title=_("{on_time} of {expected} slots on time", on_time=r["timely_slots"],
                            expected=r["expected_slots"])),
            html.Td(_status(r)),
            html.Td(actions, className="text-nowrap"),
        ], id={"type": "source-row", "source": r["id"]}))
    head = [_("Source"), _("Kind"), _("Owner"), _("Schedule"), _("Last success"), _("Lag"), _("Loaded today"),
            _("Quarantined today"), _("Timeliness (7 days)"), _("Status"), _("Actions")]
    return dbc.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(body)],
                     size="sm", hover=True, responsive=True, className="sources-table")


def _status(r: dict):
    badges = []
    if not r["enabled"]:
        badges.append(dbc.Badge(_("Disabled"), color="secondary"))
    if r["running"]:
        badges.append(dbc.Badge(_("Running"), color="info"))
    if r["hung"]:
        badges.append(dbc.Badge(_("Hung"), color="danger", className="source-hung"))
    if r["failing"]:
        badges.append(dbc.Badge(_("Failing"), color="danger"))
    if r["freshness"] in ("warn", "error"):
        badges.append(dbc.Badge(_("Data stopped"), color="warning" if r["freshness"] == "warn" else "danger",
                                text_color="dark" if r["freshness"] == "warn" else None))
    if not badges:
        badges.append(dbc.Badge(_("Normal"), color="success") if r["last_success"]
                      else dbc.Badge(_("Not run yet"), color="secondary"))
    detail = r["hung"] or r["last_error"] or (r["freshness_reason"] if r["freshness"] in ("warn", "error") else None)
    return [html.Span(badges, className="me-1"),
            html.Div(detail, className="small text-danger source-error") if detail else None]


def _action(source_id: str, action: str, label: str, disabled: bool = False):
    return dbc.Button(label, id={"type": ROW_ACTION, "action": action, "source": source_id}, size="sm",
                      color="link", className="p-0 me-2", disabled=disabled)


def _interval(text: str) -> str:
    unit = {"s": N_("{n} s"), "m": N_("{n} min"), "h": N_("{n} h"), "d": N_("{n} d")}[text[-1]]
    return _(unit, n=text[:-1])


def _age(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    if seconds >= 86400:
        return _("{n} d", n=fmt_number(seconds / 86400, 1))
    if seconds >= 3600:
        return _("{n} h", n=fmt_number(seconds / 3600, 1))
    return _("{n} min", n=fmt_number(seconds // 60))


def _parse(text: str | None):
    from datetime import datetime

    return datetime.fromisoformat(text) if text else None


def _may_read_quarantine(user: User) -> bool:
    try:
        services().ingest.require_quarantine_reader(user)
    except PermissionError:
        return False
    return True


@callback(Output(TABLE, "children"), Input(TICK, "n_intervals"), prevent_initial_call=True)
@guarded(ROLES)
def refresh(_n):
    """Re-read the sources' health every few seconds (a run started by hand shows its result)."""
    user = current_user()
    return source_table(services().ingest.sources(user), _may_read_quarantine(user))


@callback(Output(FEEDBACK, "children"), Output(TABLE, "children", allow_duplicate=True),
          Input({"type": ROW_ACTION, "action": ALL, "source": ALL}, "n_clicks"), prevent_initial_call=True)
@guarded(ROLES)
def row_action(_clicks):
    """Run a source now (in a background thread of the server) or re-process its quarantine."""
    if not ctx.triggered or not ctx.triggered[0]["value"]:
        return no_update, no_update
    user = current_user()
    desk = services().ingest
    action, source_id = ctx.triggered_id["action"], str(ctx.triggered_id["source"])
    try:
        if action == "run":
            started = desk.run_now(user, source_id, client_ip())
            message = (_("Run of {source} started; the table updates when it ends.", source=source_id) if started
                       else _("{source} is running already.", source=source_id))
            alert = dbc.Alert(message, color="info" if started else "warning", dismissable=True, id="sources-result")
            return alert, source_table(desk.sources(user), _may_read_quarantine(user))
        if action == "reprocess":
            r = desk.reprocess(user, source_id, client_ip())
            message = _("{loaded} rows loaded, {still_bad} still invalid, {not_rows} need the original input again.",
                        loaded=r.loaded, still_bad=r.still_bad, not_rows=r.not_rows)
            return (dbc.Alert(message, color="success", dismissable=True, id="sources-result"),
                    source_table(desk.sources(user), _may_read_quarantine(user)))
        return no_update, no_update
    except PermissionError as exc:
        raise Forbidden(str(exc)) from None


@callback(Output(Q_BODY, "children"), Output(Q_PAGE, "data"),
          Input(Q_SOURCE, "value"), Input(Q_PREV, "n_clicks"), Input(Q_NEXT, "n_clicks"), State(Q_PAGE, "data"))
@guarded(["center_operator"])
def browse_quarantine(source_id, _prev, _next, page):
    """One page of a source's quarantined rows: the raw row as received and the reason in plain words."""
    if not source_id:
        return empty_state(_("Choose a source"), _("Its quarantined rows appear here.")), 0
    user = current_user()
    page = int(page or 0)
    if ctx.triggered_id == Q_SOURCE:
        page = 0
    elif ctx.triggered_id == Q_PREV:
        page = max(0, page - 1)
    elif ctx.triggered_id == Q_NEXT:
        page += 1
    try:
        rows, total = services().ingest.quarantine(user, str(source_id), page, PAGE_SIZE)
        if not rows and page:
            page = max(0, (total - 1) // PAGE_SIZE)
            rows, total = services().ingest.quarantine(user, str(source_id), page, PAGE_SIZE)
    except PermissionError as exc:
        raise Forbidden(str(exc)) from None
    if not rows:
        return empty_state(_("Nothing in quarantine"), _("Every row of this source was loaded."), "check2-circle"), 0
    tz = services().config.city.timezone
    body = [html.Tr([html.Td(fmt_datetime(r["received_at"], tz, "short"), className="text-nowrap"),
                     html.Td(r["reason"], className="quarantine-reason"),
                     html.Td(html.Code(_pretty(r["raw"])), className="quarantine-raw")]) for r in rows]
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    return html.Div([
        html.Div(_("Page {page} of {pages} ({total} rows waiting)", page=page + 1, pages=pages, total=total),
                 className="small text-muted mb-1", id="quarantine-pager"),
        dbc.Table([html.Thead(html.Tr([html.Th(_("Received")), html.Th(_("Reason")), html.Th(_("Raw row"))])),
                   html.Tbody(body)], size="sm", responsive=True, id="quarantine-table"),
    ]), page


def _pretty(raw: str) -> str:
    try:
        return json.dumps(json.loads(raw), ensure_ascii=False)[:600]
    except ValueError:
        return raw[:600]
