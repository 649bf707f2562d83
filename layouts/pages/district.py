"""分中心: one district and its streets."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from cockpit.core import store
from cockpit.core.i18n import _, fmt_number
from cockpit.core.scope import contains
from cockpit.core.store import User
from layouts.components.common import empty_state, page_header, panel, stat_card
from layouts.context import services


def layout(user: User, params: dict):
    """The district sub-center view; `area` in the query picks a district inside the user's scope."""
    svc = services()
    code = params.get("area") or user.area_code
    if not contains(user.area_code, code) or store.area(svc.db, code) is None:
        from layouts.components.errors import forbidden

        return forbidden()
    area = store.area(svc.db, code)
    if area.level == "city":
        first = store.children(svc.db, code)
        area = first[0] if first else area
    crumbs = [(a.name, f"/district?area={a.code}" if a.code != area.code else None) for a in _lineage(area)]
    streets = store.children(svc.db, area.code) if area.level == "district" else []
    rows = [html.Tr([html.Td(s.name), html.Td(s.code, className="num code")]) for s in streets]
    return html.Div([
        page_header(_("{area} command sub-center", area=area.name), _("Operations of the district and its streets"),
                    crumbs),
        dbc.Row([
            dbc.Col(stat_card(_("Streets and townships"), fmt_number(len(streets)), _("areas")), md=4),
            dbc.Col(stat_card(_("Open warnings"), "—", note=_("Warning engine not yet enabled")), md=4),
            dbc.Col(stat_card(_("Tasks received"), "—", note=_("Task dispatch not yet enabled")), md=4),
        ], className="g-3 mb-3"),
        dbc.Row([
            dbc.Col(panel(_("District map"), html.Iframe(src=f"/maps/districts?area={area.code}",
                                                          className="map-frame", title=_("District map"))), lg=7),
            dbc.Col(panel(_("Streets and townships"), dbc.Table(
                [html.Thead(html.Tr([html.Th(_("Name")), html.Th(_("Division code"), className="num")])),
                 html.Tbody(rows)], size="sm", hover=True, className="area-table")
                if rows else empty_state(_("No streets"), "")), lg=5),
        ], className="g-3"),
    ])


def _lineage(area: store.Area) -> list[store.Area]:
    svc = services()
    chain = [area]
    while chain[0].parent_code:
        parent = store.area(svc.db, chain[0].parent_code)
        if parent is None:
            break
        chain.insert(0, parent)
    return chain
