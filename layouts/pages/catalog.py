"""指标体系: every indicator with its 口径, source, owner, thresholds and current value in a chosen area."""

from __future__ import annotations

from dash import Input, Output, callback, dcc, html

from cockpit.core import store as core_store
from cockpit.core.i18n import _
from cockpit.core.store import User
from layouts import readings
from layouts.components.common import page_header, panel
from layouts.context import services
from layouts.format import figure, period_label
from layouts.indicator_facts import owner_text, source_text, thresholds_text
from layouts.pages.area_cockpit import indicator_href
from layouts.scope import scoped_area

ROLES = frozenset({"leader", "center_operator", "duty_officer"})
AREA, TABLE = "catalog-area", "catalog-table"


def layout(user: User, params: dict):
    """The catalog, grouped by domain; the area picker lists only areas in the user's scope."""
    db = services().db
    area = scoped_area(user, params.get("area"))
    own = scoped_area(user, None)
    choices = [own] + core_store.areas(db, within=own.code, level="district" if own.level == "city" else "street")
    options = [{"label": a.name, "value": a.code} for a in choices]
    return html.Div([
        page_header(_("Indicator system"), _("Definition, source, responsible unit, thresholds and current value")),
        html.Div([html.Label(_("Current value in"), htmlFor=AREA, className="me-2"),
                  dcc.Dropdown(options, area.code, id=AREA, clearable=False, className="area-picker")],
                 className="toolbar"),
        html.Div(table(user, area.code), id=TABLE),
    ])


def table(user: User, area_code: str):
    """One panel per domain with a row per indicator."""
    svc = services()
    cfg, db, now, tz = svc.config, svc.db, svc.clock.now(), svc.config.city.timezone
    area = scoped_area(user, area_code)
    head = html.Thead(html.Tr([html.Th(_("Indicator")), html.Th(_("Definition")), html.Th(_("Source")),
                               html.Th(_("Responsible unit")), html.Th(_("Warning levels")),
                               html.Th(_("Current value"), className="num")]))
    blocks = []
    for domain in readings.domains(cfg) + [d for d in {i.domain for i in cfg.indicators.values()}
                                           if d not in readings.domains(cfg)]:
        rows = []
        for iid in readings.domain_indicators(cfg, domain):
            ind = cfg.indicators[iid]
            r = readings.reading(db, cfg, iid, area.code, now, spark=False, compare=False)
            value = (html.Span(_("No data"), className="missing") if r.missing else
                     html.Span([str(figure(r.value, r.unit)), html.Br(),
                                html.Small(period_label(r.period_start, r.grain, tz),
                                           className="stale" if r.stale else "text-muted")]))
            rows.append(html.Tr([
                html.Td(html.A(ind.name, href=indicator_href(iid, area.code)), className="ind-name"),
                html.Td(ind.definition or "—", className="ind-def"),
                html.Td(source_text(cfg, ind)), html.Td(owner_text(db, ind)),
                html.Td(thresholds_text(ind), className="ind-levels"),
                html.Td(value, className="num"),
            ], **{"data-indicator": iid}))
        blocks.append(panel(domain, html.Div(html.Table([head, html.Tbody(rows)],
                                                        className="table table-sm catalog-table"),
                                             className="table-scroll"), class_name="mb-3"))
    return blocks


@callback(Output(TABLE, "children"), Input(AREA, "value"), prevent_initial_call=True)
def pick_area(area_code: str):
    """Re-read the catalog's current values for another area in the user's scope."""
    from cockpit.auth.guard import current_user, require_role
    from layouts.scope import audit_area_view

    user = current_user()
    require_role(user, ROLES)
    audit_area_view(user, area_code, "/indicators")
    return table(user, area_code)
