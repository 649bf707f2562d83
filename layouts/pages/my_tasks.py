"""我的任务: a department handler's tasks, designed for a phone."""

from __future__ import annotations

from dash import html

from cockpit.core import store
from cockpit.core.i18n import _
from cockpit.core.store import User
from layouts.components.common import empty_state, page_header
from layouts.context import services


def layout(user: User, params: dict):
    """The handler's task list for their unit."""
    unit = store.unit(services().db, user.unit_id) if user.unit_id else None
    return html.Div([
        page_header(_("My tasks"), unit["name"] if unit else None),
        empty_state(_("No tasks to handle"), _("Tasks sent to your unit appear here to accept and report on."),
                    icon="check2-circle"),
    ], className="phone-page")
