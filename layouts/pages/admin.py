"""系统管理: users, areas and units (no business data, per separation of duties)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from cockpit.core import store
from cockpit.core.i18n import _, fmt_number
from cockpit.core.roles import ROLE_LABELS
from cockpit.core.store import User
from layouts.components.common import page_header, panel, stat_card
from layouts.context import services


def layout(user: User, params: dict):
    """The administrator's overview of accounts and the organisation."""
    db = services().db
    accounts = store.users(db)
    area_names = {a.code: a.name for a in store.areas(db)}
    unit_names = {u["unit_id"]: u["short"] or u["name"] for u in store.units(db)}
    rows = [
        html.Tr([
            html.Td(u.user_id, className="code"), html.Td(u.display_name), html.Td(_(ROLE_LABELS[u.role])),
            html.Td(area_names.get(u.area_code, u.area_code)), html.Td(unit_names.get(u.unit_id, "—")),
            html.Td(dbc.Badge(_("Disabled"), color="secondary") if u.disabled else dbc.Badge(_("Active"), color="success")),
        ])
        for u in accounts
    ]
    return html.Div([
        page_header(_("System administration"), _("Accounts, areas and units")),
        dbc.Row([
            dbc.Col(stat_card(_("Accounts"), fmt_number(len(accounts))), md=4),
            dbc.Col(stat_card(_("Areas"), fmt_number(len(area_names))), md=4),
            dbc.Col(stat_card(_("Units"), fmt_number(len(unit_names))), md=4),
        ], className="g-3 mb-3"),
        panel(_("User accounts"), dbc.Table(
            [html.Thead(html.Tr([html.Th(_("User name")), html.Th(_("Name")), html.Th(_("Role")), html.Th(_("Area")),
                                 html.Th(_("Unit")), html.Th(_("Status"))])), html.Tbody(rows)],
            size="sm", hover=True, responsive=True, id="user-table")),
    ])
