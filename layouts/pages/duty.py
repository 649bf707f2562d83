"""值班台: the live warning queue and the tasks to chase, for duty officers and operators."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from cockpit.core import store
from cockpit.core.i18n import _
from cockpit.core.store import User
from layouts.components.common import empty_state, page_header, panel
from layouts.context import services


def layout(user: User, params: dict):
    """The duty desk for the user's area."""
    area = store.area(services().db, user.area_code)
    return html.Div([
        page_header(_("Duty desk"), _("{area} · 24-hour duty", area=area.name if area else user.area_code)),
        dbc.Row([
            dbc.Col(panel(_("Warning queue"), empty_state(
                _("No open warnings"),
                _("Warnings raised by the indicator rules appear here, newest and most severe first."),
                icon="bell")), lg=7),
            dbc.Col(panel(_("Tasks to follow up"), empty_state(
                _("No tasks"), _("Dispatched tasks and overdue cards appear here."), icon="list-task")), lg=5),
        ], className="g-3"),
    ])
