"""通知记录: what was sent to whom about warnings and tasks in the reader's area, and how delivery went."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from alerts.notify import queries
from alerts.notify.notices import reason_name
from cockpit.core.i18n import N_, _, fmt_datetime
from cockpit.core.store import User
from layouts.components.common import empty_state, page_header, panel, stat_card
from layouts.context import services

ROLES = queries.READERS
STATUS_NAMES = {"pending": N_("Waiting to send"), "sent": N_("Sent"), "failed": N_("Delivery failed"),
                "suppressed": N_("Held back")}
STATUS_COLOURS = {"pending": "warning", "sent": "success", "failed": "danger", "suppressed": "secondary"}
KIND_NAMES = {"warning": N_("Warning"), "task": N_("Task")}


def layout(user: User, params: dict):
    """Counts by delivery status and the newest notifications, read-only."""
    svc = services()
    status = params.get("status") if params.get("status") in queries.STATUSES else None
    counts = queries.status_counts(svc.db, user)
    rows = queries.notification_log(svc.db, user, status=status)
    cards = dbc.Row([dbc.Col(stat_card(_(STATUS_NAMES[s]), str(counts.get(s, 0))), xs=6, md=3)
                     for s in queries.STATUSES], className="g-2 mb-3", id="notify-counts")
    body = _table(rows, svc.config.city.timezone) if rows else empty_state(
        _("No notifications yet"), _("Warnings and task events routed to receivers appear here."), "bell")
    return html.Div([
        page_header(_("Notification log"), _("What was sent to whom, why, and whether it arrived")),
        cards,
        panel(_("Notifications"), body),
    ])


def _table(rows: list[dict], tz: str):
    lines = [html.Tr([
        html.Td(fmt_datetime(r["created_at"], tz, "short")),
        html.Td(_(KIND_NAMES.get(r["kind"], r["kind"]))),
        html.Td(reason_name(r["reason"])),
        html.Td(r["summary"]),
        html.Td(r["receiver"], className="code"),
        html.Td(dbc.Badge(_(STATUS_NAMES.get(r["status"], r["status"])), color=STATUS_COLOURS.get(r["status"]))),
        html.Td(str(r["attempts"]), className="num"),
        html.Td(r["result"] or "—", className="code"),
    ]) for r in rows]
    head = html.Thead(html.Tr([html.Th(_("Time")), html.Th(_("Notice kind")), html.Th(_("Reason")), html.Th(_("Notification summary")),
                               html.Th(_("Receiver")), html.Th(_("Status")), html.Th(_("Attempts"), className="num"),
                               html.Th(_("Result"))]))
    return dbc.Table([head, html.Tbody(lines)], size="sm", hover=True, responsive=True, id="notify-table")
