"""审计日志: the security auditor's view of the hash-chained audit trail."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from cockpit.core import audit, store
from cockpit.core.i18n import N_, _, fmt_datetime
from cockpit.core.store import User
from layouts.components.common import page_header, panel
from layouts.context import services

PAGE_SIZE = 100
OUTCOMES = {"ok": N_("Succeeded"), "denied": N_("Denied"), "failed": N_("Failed")}


def layout(user: User, params: dict):
    """The newest audit records and the state of the hash chain."""
    svc = services()
    problems = audit.verify(svc.db)
    status = (dbc.Alert(_("Audit chain intact: no record has been altered or deleted."), color="success",
                        id="audit-chain-status")
              if not problems else
              dbc.Alert([html.Strong(_("Audit chain broken:")), html.Ul([html.Li(p) for p in problems])],
                        color="danger", id="audit-chain-status"))
    tz = svc.config.city.timezone
    rows = [
        html.Tr([
            html.Td(seq, className="num"), html.Td(fmt_datetime(at, tz, "short")), html.Td(user_id or "—"),
            html.Td(ip or "—"), html.Td(action, className="code"), html.Td(obj or "—"), html.Td(detail or ""),
            html.Td(dbc.Badge(_(OUTCOMES.get(outcome, outcome)), color={"ok": "success", "denied": "danger"}.get(outcome, "warning"))),
        ])
        for seq, at, user_id, ip, action, obj, detail, outcome, _prev, _hash in store.audit_records(svc.db, PAGE_SIZE)
    ]
    return html.Div([
        page_header(_("Audit log"), _("Every login, denial and important action, newest first")),
        status,
        panel(_("Audit records"), dbc.Table(
            [html.Thead(html.Tr([html.Th("#", className="num"), html.Th(_("Time")), html.Th(_("User")),
                                 html.Th(_("Address")), html.Th(_("Action")), html.Th(_("Object")),
                                 html.Th(_("Detail")), html.Th(_("Outcome"))])),
             html.Tbody(rows)], size="sm", hover=True, responsive=True, id="audit-table")),
    ])
