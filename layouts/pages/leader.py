"""领导驾驶舱: the whole city at a glance."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from cockpit.core import store
from cockpit.core.i18n import _, fmt_number
from cockpit.core.store import User
from layouts.components.common import demo_badge, empty_state, page_header, panel, stat_card
from layouts.context import services


def layout(user: User, params: dict):
    """The leader's cockpit for the user's area (normally the whole city)."""
    svc = services()
    scope = store.area(svc.db, user.area_code)
    districts = store.children(svc.db, scope.code) if scope else []
    streets = [a for a in store.areas(svc.db, within=user.area_code, level="street")]
    title = _("{city} operations cockpit", city=scope.name if scope else svc.config.city.name)
    district_rows = [
        html.Tr([
            html.Td(html.A(d.name, href=f"/district?area={d.code}", className="area-link")),
            html.Td(_("Urban district") if d.kind == "urban_district" else _("County-level city")),
            html.Td(fmt_number(len(store.children(svc.db, d.code))), className="num"),
        ])
        for d in districts
    ]
    table = dbc.Table(
        [html.Thead(html.Tr([html.Th(_("District")), html.Th(_("Type")), html.Th(_("Streets and townships"),
                                                                               className="num")])),
         html.Tbody(district_rows)],
        hover=True, size="sm", className="area-table",
    )
    return html.Div([
        page_header(title, _("Operations overview across every domain"),
                    ) if not svc.config.city.demo else html.Div([page_header(title, _(
                        "Operations overview across every domain")), demo_badge()], className="header-row"),
        dbc.Row([
            dbc.Col(stat_card(_("Districts and county-level cities"), fmt_number(len(districts)), _("areas")), md=3),
            dbc.Col(stat_card(_("Streets and townships"), fmt_number(len(streets)), _("areas")), md=3),
            dbc.Col(stat_card(_("Open warnings"), "—", note=_("Warning engine not yet enabled")), md=3),
            dbc.Col(stat_card(_("Tasks dispatched today"), "—", note=_("Task dispatch not yet enabled")), md=3),
        ], className="g-3 mb-3"),
        dbc.Row([
            dbc.Col(panel(_("District map"), html.Iframe(src=f"/maps/districts?area={user.area_code}",
                                                          className="map-frame", title=_("District map"))), lg=7),
            dbc.Col(panel(_("Districts"), table), lg=5),
        ], className="g-3 mb-3"),
        panel(_("Indicator system"), empty_state(
            _("No indicator values yet"),
            _("Indicators appear here once data sources deliver and the indicator engine has evaluated them."),
            icon="bar-chart")),
    ])
