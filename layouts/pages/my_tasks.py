"""我的任务: a department handler's tasks, designed for a phone (360–414 px): the list, and one task to accept or
decline, report progress with a photo and submit the result."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from cockpit.core import store
from cockpit.core.i18n import _
from cockpit.core.store import User
from cockpit.tasks import queries
from layouts.components.common import empty_state, page_header
from layouts.components.task_detail import task_detail_panel, task_href
from layouts.components.task_parts import card_badge, due_text, overdue_badge, priority_badge, state_badge
from layouts.context import services


def layout(user: User, params: dict):
    """The handler's task list for their unit, or one task when `id` is given."""
    svc = services()
    if params.get("id"):
        return html.Div([
            html.A([html.I(className="bi bi-chevron-left me-1"), _("My tasks")], href="/my-tasks",
                   className="back-link", id="back-to-list"),
            task_detail_panel(user, params["id"][:40], compact=True),
        ], className="phone-page")
    unit = store.unit(svc.db, user.unit_id) if user.unit_id else None
    rows = queries.my_tasks(svc.db, user, svc.clock.now())
    tz = svc.config.city.timezone
    body = [_item(user, r, tz) for r in rows] if rows else [empty_state(
        _("No tasks to handle"), _("Tasks sent to your unit appear here to accept and report on."),
        icon="check2-circle")]
    waiting = sum(1 for r in rows if r["state"] == "dispatched")
    return html.Div([
        page_header(_("My tasks"), unit["name"] if unit else None),
        html.Div([dbc.Badge(_("{n} open", n=len(rows)), color="primary", className="me-1"),
                  dbc.Badge(_("{n} to sign for", n=waiting), color="warning", text_color="dark")
                  if waiting else None], className="mb-2"),
        html.Div(body, className="my-task-list", id="my-task-list"),
    ], className="phone-page")


def _item(user: User, row: dict, tz: str):
    return html.A([
        html.Div([state_badge(row["state"]), priority_badge(row["priority"]), overdue_badge(row),
                  card_badge(row["card"])], className="task-badges"),
        html.Div(row["title"], className="my-task-title"),
        html.Div(due_text(row, tz), className="my-task-due"),
        dbc.Progress(value=row["progress"], label=f"{row['progress']}%", style={"height": "1rem"}),
    ], href=task_href(user, row["task_id"]), className="my-task" + (" is-overdue" if row["overdue"] else ""),
        **{"data-task": row["task_id"]})
