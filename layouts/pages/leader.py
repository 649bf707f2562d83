"""领导驾驶舱: the leader's own area (normally the whole city) at a glance."""

from __future__ import annotations

from dash import html

from cockpit.core.i18n import _
from cockpit.core.store import User
from layouts.components.live import live_region
from layouts.pages import area_cockpit
from layouts.scope import scoped_area


def layout(user: User, params: dict):
    """The leader's cockpit for the user's area."""
    area = scoped_area(user, None)
    title = _("{city} operations cockpit", city=area.name)
    return html.Div([
        area_cockpit.header(area, title, _("Operations overview across every domain")),
        live_region("/cockpit", {}, live(user, {})),
    ], className="cockpit-page")


def live(user: User, params: dict):
    """The part that re-renders when new data lands."""
    return area_cockpit.body(user, scoped_area(user, None))
