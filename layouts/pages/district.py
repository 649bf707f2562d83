"""分中心: one district or street and what lies under it; `area` in the query picks it within the user's scope."""

from __future__ import annotations

from dash import html

from cockpit.core import store
from cockpit.core.i18n import _
from cockpit.core.store import User
from layouts.components.live import live_region
from layouts.context import services
from layouts.pages import area_cockpit
from layouts.scope import scoped_area


def _area(user: User, params: dict):
    area = scoped_area(user, params.get("area"))
    if area.level == "city":  # the sub-center view of a city user opens on the first district
        first = store.children(services().db, area.code)
        area = first[0] if first else area
    return area


def layout(user: User, params: dict):
    """The sub-center view of the chosen area (the user's own by default)."""
    area = _area(user, params)
    if area.level == "street":
        title = _("{area} operations", area=area.name)
        subtitle = _("Operations of the street or township")
    else:
        title = _("{area} command sub-center", area=area.name)
        subtitle = _("Operations of the district and its streets")
    return html.Div([
        area_cockpit.header(area, title, subtitle),
        live_region("/district", {"area": area.code}, live(user, {"area": area.code})),
    ], className="cockpit-page")


def live(user: User, params: dict):
    """The part that re-renders when new data lands."""
    return area_cockpit.body(user, _area(user, params))
