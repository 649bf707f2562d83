"""简报: the briefing archive (日报 · 周报 · 月报) a user may read, with downloads, and generation on demand."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from cockpit.auth.guard import current_user, guarded
from cockpit.core import store
from cockpit.core.i18n import _, fmt_datetime
from cockpit.core.scope import contains
from cockpit.core.store import User
from cockpit.reports.archive import GENERATOR_ROLES, BriefingDenied, generate_on_demand, list_for
from cockpit.reports.narrative import KIND_NAMES, tr
from cockpit.reports.periods import KINDS
from layouts.components.common import empty_state, page_header, panel
from layouts.context import services

TABLE = "briefings-table"
FEEDBACK = "briefings-feedback"
FORM = {k: f"briefings-new-{k}" for k in ("kind", "area", "date", "submit")}
READERS = frozenset({"leader", "center_operator", "duty_officer", "handler"})


def layout(user: User, params: dict):
    """The archive list, and for leaders and center operators a form to generate a briefing now."""
    svc = services()
    parts = [page_header(_("Briefings"), _("Daily notices, weekly bulletins and monthly reports"))]
    if user.role in GENERATOR_ROLES:
        parts.append(panel(_("Generate a briefing"), _form(user)))
    parts.append(html.Div(id=FEEDBACK))
    parts.append(panel(_("Briefing archive"), html.Div(archive_table(user), id=TABLE)))
    if svc.config.city.demo:
        parts.append(html.P(_("Demo data"), className="text-muted small"))
    return html.Div(parts)


def _form(user: User):
    svc = services()
    areas = [a for a in store.areas(svc.db) if a.level in ("city", "district") and contains(user.area_code, a.code)]
    yesterday = (svc.clock.now().astimezone(ZoneInfo(svc.config.city.timezone)) - timedelta(days=1)).date()
    return dbc.Row([
        dbc.Col(dbc.Select(id=FORM["kind"], options=[{"label": tr(KIND_NAMES[k]), "value": k} for k in KINDS],
                           value="daily"), md=3),
        dbc.Col(dbc.Select(id=FORM["area"], options=[{"label": a.name, "value": a.code} for a in areas],
                           value=areas[0].code if areas else None), md=3),
        dbc.Col(dcc.DatePickerSingle(id=FORM["date"], date=yesterday.isoformat(), display_format="YYYY-MM-DD"),
                md=3),
        dbc.Col(dbc.Button(_("Generate"), id=FORM["submit"], color="primary", className="w-100"), md=3),
    ], className="g-2")


def archive_table(user: User):
    """The briefings the user may read, newest first, with their three formats."""
    svc = services()
    entries = list_for(svc.db, user, svc.config.city.code)
    if not entries:
        return empty_state(_("No briefings yet"), _("Briefings appear here once generated."), "file-earmark-text")
    names = {a.code: a.name for a in store.areas(svc.db) if a.level in ("city", "district")}
    tz = svc.config.city.timezone
    rows = [html.Tr([
        html.Td(tr(KIND_NAMES[e["kind"]])),
        html.Td(names.get(e["area_code"], e["area_code"])),
        html.Td(fmt_datetime(e["period_start"], tz, "yyyy-MM-dd")),
        html.Td(str(e["issue_no"]), className="num"),
        html.Td(fmt_datetime(e["generated_at"], tz, "short")),
        html.Td([html.A(_("View"), href=f"/briefings/{e['briefing_id']}.html", target="_blank", className="me-2"),
                 html.A("PDF", href=f"/briefings/{e['briefing_id']}.pdf", className="me-2"),
                 html.A("XLSX", href=f"/briefings/{e['briefing_id']}.xlsx")]),
    ], **{"data-briefing": e["briefing_id"]}) for e in entries]
    head = html.Thead(html.Tr([html.Th(_("Briefing kind")), html.Th(_("Area")), html.Th(_("Period start")),
                               html.Th(_("Issue"), className="num"), html.Th(_("Generated at")),
                               html.Th(_("Files"))]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", hover=True, className="briefing-table")


@callback(Output(FEEDBACK, "children"), Output(TABLE, "children"), Input(FORM["submit"], "n_clicks"),
          State(FORM["kind"], "value"), State(FORM["area"], "value"), State(FORM["date"], "date"),
          prevent_initial_call=True)
@guarded(GENERATOR_ROLES)
def generate_now(n_clicks, kind, area, day):
    """Generate the chosen briefing (scope checked by the domain function) and refresh the list."""
    if not n_clicks or kind not in KINDS or not area or not day:
        return no_update, no_update
    svc = services()
    user = current_user()
    data_dir = Path(svc.config.database.path).parent
    try:
        entry = generate_on_demand(svc.db, svc.config, data_dir, user, kind, area, date.fromisoformat(day[:10]),
                                   svc.clock)
    except BriefingDenied as exc:
        return dbc.Alert(_(str(exc)), color="danger"), no_update
    return (dbc.Alert(_("Briefing generated: issue {n}.", n=entry["issue_no"]), color="success", duration=6000),
            archive_table(user))
