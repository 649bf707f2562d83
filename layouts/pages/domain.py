"""领域视图: every indicator of one domain for an area, each a tile that opens the indicator."""

from __future__ import annotations

from dash import html

from cockpit.auth.guard import Forbidden
from cockpit.core.i18n import N_, _
from cockpit.core.store import User
from layouts import readings
from layouts.components.common import page_header, panel
from layouts.components.live import live_region
from layouts.components.tiles import tile
from layouts.context import services
from layouts.pages.area_cockpit import crumbs, indicator_href
from layouts.scope import scoped_area


def _domain(params: dict) -> str:
    domain = params.get("id", "")
    if domain not in readings.domains(services().config) and not readings.domain_indicators(services().config, domain):
        raise Forbidden(N_("No such domain."))
    return domain


def layout(user: User, params: dict):
    """The domain view for the chosen area (the user's own by default)."""
    area = scoped_area(user, params.get("area"))
    domain = _domain(params)
    return html.Div([
        page_header(_("{domain} · {area}", domain=domain, area=area.name),
                    _("Every indicator of the domain; open one for its trend, comparisons and breakdown"),
                    crumbs(area, domain)),
        live_region("/domain", {"id": domain, "area": area.code}, live(user, {"id": domain, "area": area.code})),
    ])


def live(user: User, params: dict):
    """The tiles, re-rendered when new data lands."""
    svc = services()
    area, domain = scoped_area(user, params.get("area")), _domain(params)
    now, tz = svc.clock.now(), svc.config.city.timezone
    ids = readings.domain_indicators(svc.config, domain)
    tiles = [tile(r, tz, indicator_href(r.indicator_id, area.code))
             for r in readings.readings(svc.db, svc.config, ids, area.code, now)]
    return panel(_("Indicators"), html.Div(tiles, className="tile-grid", id="domain-indicators"))
