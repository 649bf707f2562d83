"""一张表: a street or township submits the period's figures; the city and district centers see who has
reported (报送率) and who is late. Scope is checked on the server by the connectors' desk."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, dcc, html, no_update

from cockpit.auth.guard import Forbidden, client_ip, current_user, guarded
from cockpit.core import store
from cockpit.core.i18n import N_, _, fmt_datetime, fmt_number, fmt_percent
from cockpit.core.store import User
from layouts.components.common import empty_state, page_header, panel, stat_card
from layouts.context import services

FORM_ROLES = ("handler", "center_operator")
REPORT_ROLES = ("center_operator", "duty_officer")
FIELD = "form-field"
STREET = "form-street"
SOURCE = "form-source"
SUBMIT = "form-submit"
FEEDBACK = "form-feedback"
STATUS = "form-status"
PERIOD = "reporting-period"
REPORT = "reporting-body"

STATE_LABELS = {"on_time": N_("On time"), "late": N_("Late"), "missing": N_("Not submitted, overdue"),
                "pending": N_("Not yet submitted")}
STATE_COLOURS = {"on_time": "success", "late": "warning", "missing": "danger", "pending": "secondary"}


def layout(user: User, params: dict):
    """The form for a street user; the reporting rate for a center; a note for anyone else."""
    desk = services().ingest
    sources = desk.form_sources() if desk is not None else []
    if not sources:
        return html.Div([page_header(_("One form")), empty_state(_("No form is configured"), "")])
    source_id = params.get("source") if params.get("source") in dict(sources) else sources[0][0]
    if desk.can_submit(user, source_id):
        return _form_page(user, source_id)
    if user.role in REPORT_ROLES:
        return html.Div([
            page_header(_("One form: reporting"), dict(sources)[source_id]),
            dbc.Select(id=PERIOD, options=[{"label": _("Current period"), "value": "current"},
                                           {"label": _("Previous period"), "value": "previous"}],
                       value="current", className="mb-3 w-auto"),
            dcc.Store(id=SOURCE, data=source_id),
            html.Div(reporting_view(user, source_id, None), id=REPORT),
        ])
    return html.Div([page_header(_("One form")),
                     empty_state(_("Nothing to submit"), _("Streets and townships submit this form."))])


def _form_page(user: User, source_id: str):
    view = services().ingest.form(user, source_id)
    area = store.area(services().db, user.area_code)
    values = view.values or {}
    inputs = []
    for f in view.fields:
        kind = "number" if f.type in ("integer", "float") else "text"
        label = f.label + (" *" if f.required else "")
        inputs.append(dbc.Row([
            dbc.Label(label, width=5),
            dbc.Col(dbc.Input(id={"type": FIELD, "name": f.name}, type=kind,
                              value=values.get(f.name), disabled=not view.open,
                              name=f.name, step=1 if f.type == "integer" else "any"), width=7),
        ], className="mb-2"))
    return html.Div([
        page_header(_("One form"), f"{view.name} · {area.name if area else user.area_code}"),
        html.Div(_status_note(view), id=STATUS),
        html.Div(id=FEEDBACK),
        panel(_("Figures of this period"), [
            dcc.Store(id=STREET, data=user.area_code), dcc.Store(id=SOURCE, data=source_id),
            *inputs,
            dbc.Button(_("Resubmit") if view.submitted_at else _("Submit"), id=SUBMIT, color="primary",
                       disabled=not view.open),
        ]),
    ], className="form-page")


def _status_note(view):
    tz = services().config.city.timezone
    period = _("Period {start} to {end}; deadline {due}.", start=fmt_datetime(view.period_start, tz, "short"),
               end=fmt_datetime(view.period_end, tz, "short"), due=fmt_datetime(view.due_at, tz, "short"))
    if view.submitted_at is None:
        state = _("Not yet submitted.")
    elif view.open:
        state = _("Submitted at {time}; you may correct it until the deadline.",
                  time=fmt_datetime(view.submitted_at, tz, "short"))
    else:
        state = _("Submitted at {time}; the deadline has passed.", time=fmt_datetime(view.submitted_at, tz, "short"))
    return dbc.Alert([html.Div(period), html.Div(state, id="form-state")], color="light")


def reporting_view(user: User, source_id: str, period: str | None):
    """报送率 of a period in the user's area, and every street's state (late and missing first)."""
    desk = services().ingest
    start = desk.previous_period(source_id) if period == "previous" else None
    report = desk.reporting(user, source_id, start)
    tz = services().config.city.timezone
    names = {a.code: a.name for a in store.areas(services().db, level="street")}
    order = {"missing": 0, "late": 1, "pending": 2, "on_time": 3}
    rows = [html.Tr([
        html.Td(names.get(s.street_code, s.street_code)), html.Td(s.street_code, className="code"),
        html.Td(dbc.Badge(_(STATE_LABELS[s.state]), color=STATE_COLOURS[s.state])),
        html.Td(fmt_datetime(s.submitted_at, tz, "short")),
        html.Td(fmt_number(s.versions) if s.versions > 1 else ""),
    ], className=f"street-{s.state}") for s in sorted(report.streets, key=lambda s: (order[s.state], s.street_code))]
    late = report.count("late") + report.count("missing")
    return html.Div([
        html.P(_("Period {start}; deadline {due}.", start=fmt_datetime(report.period_start, tz, "short"),
                 due=fmt_datetime(report.due_at, tz, "short")), className="text-muted"),
        dbc.Row([
            dbc.Col(stat_card(_("Reporting rate"), fmt_percent(report.rate), note=_("submitted by the deadline")),
                    md=3),
            dbc.Col(stat_card(_("Must report"), fmt_number(report.expected)), md=3),
            dbc.Col(stat_card(_("On time"), fmt_number(report.count("on_time"))), md=3),
            dbc.Col(stat_card(_("Late or missing"), fmt_number(late), level="orange" if late else None), md=3),
        ], className="g-3 mb-3", id="reporting-figures"),
        panel(_("Streets and townships"), dbc.Table(
            [html.Thead(html.Tr([html.Th(_("Name")), html.Th(_("Division code")), html.Th(_("State")),
                                 html.Th(_("Submitted")), html.Th(_("Versions"))])), html.Tbody(rows)],
            size="sm", hover=True, responsive=True, id="reporting-table")),
    ])


@callback(Output(FEEDBACK, "children"), Output(STATUS, "children"), Input(SUBMIT, "n_clicks"),
          State(STREET, "data"), State(SOURCE, "data"),
          State({"type": FIELD, "name": ALL}, "value"), State({"type": FIELD, "name": ALL}, "id"),
          prevent_initial_call=True)
@guarded(FORM_ROLES)
def submit(clicks, street, source_id, values, ids):
    """Submit the street's figures; the desk refuses any street but the user's own (403, audited)."""
    if not clicks:
        return no_update, no_update
    user = current_user()
    desk = services().ingest
    figures = {i["name"]: v for i, v in zip(ids or [], values or [], strict=False)}
    try:
        outcome = desk.submit(user, str(source_id), str(street), figures, client_ip())
        view = desk.form(user, str(source_id))
    except PermissionError as exc:
        raise Forbidden(str(exc)) from None
    if outcome.done is None:
        return dbc.Alert([html.Div(m) for m in outcome.problems], color="danger", id="form-result"), no_update
    message = (_("Figures submitted after the deadline: recorded as late.") if outcome.done.late else
               _("Figures updated.") if outcome.done.replaced else _("Figures submitted."))
    return dbc.Alert(message, color="warning" if outcome.done.late else "success", dismissable=True,
                     id="form-result"), _status_note(view)


@callback(Output(REPORT, "children"), Input(PERIOD, "value"), State(SOURCE, "data"), prevent_initial_call=True)
@guarded(REPORT_ROLES)
def change_period(period, source_id):
    """Show another period's reporting."""
    try:
        return reporting_view(current_user(), str(source_id), "previous" if period == "previous" else None)
    except PermissionError as exc:
        raise Forbidden(str(exc)) from None
