"""Small pieces every task view shares: state, priority and card badges, deadlines, the timeline. Pure builders
of plain rows from `cockpit.tasks.queries`; text from users (titles, notes, file names) is only ever a text child."""

from __future__ import annotations

from datetime import datetime

import dash_bootstrap_components as dbc
from dash import html

from cockpit.core.i18n import N_, _, fmt_datetime
from cockpit.tasks.model import ORIGIN_LABELS, STATE_LABELS
from cockpit.tasks.transitions import TRANSITIONS
from cockpit.tasks.web import attachment_url

STATE_COLORS = {"dispatched": "primary", "accepted": "info", "in_progress": "info", "paused": "secondary",
                "submitted": "warning", "closed": "success", "declined": "danger", "cancelled": "secondary"}
PRIORITY_LABELS = {"urgent": N_("Urgent"), "high": N_("High"), "normal": N_("Normal"), "low": N_("Low")}
PRIORITY_COLORS = {"urgent": "danger", "high": "warning", "normal": "light", "low": "light"}
EXTRA_ACTION_LABELS = {"dispatch": N_("Dispatched"), "redispatch": N_("Re-dispatched to a street"),
                       "card": N_("SLA card")}


def state_badge(state: str):
    """The task state as a coloured badge."""
    return dbc.Badge(_(STATE_LABELS.get(state, state)), color=STATE_COLORS.get(state, "secondary"),
                     className="task-state")


def priority_badge(priority: str):
    """The priority as a badge (urgent and high stand out)."""
    color = PRIORITY_COLORS.get(priority, "light")
    return dbc.Badge(_(PRIORITY_LABELS.get(priority, priority)), color=color,
                     text_color="dark" if color in ("light", "warning") else None, className="task-priority")


def card_badge(card: str | None):
    """A yellow or red card badge, or nothing."""
    if card == "yellow":
        return dbc.Badge(_("Yellow card"), color="warning", text_color="dark", className="task-card-yellow")
    if card == "red":
        return dbc.Badge(_("Red card"), color="danger", className="task-card-red")
    return None


def overdue_badge(row: dict):
    """'Overdue' when the task's current deadline has passed."""
    return dbc.Badge(_("Overdue"), color="danger", className="task-overdue") if row.get("overdue") else None


def origin_label(origin: str) -> str:
    """The translated name of a task origin."""
    return _(ORIGIN_LABELS.get(origin, origin))


def action_label(action: str) -> str:
    """The translated name of a timeline action."""
    if action in TRANSITIONS:
        return _(TRANSITIONS[action].label)
    return _(EXTRA_ACTION_LABELS.get(action, action))


def current_due(row: dict):
    """The deadline that matters now: signing for while 待签收, finishing after."""
    return row["accept_due"] if row["state"] == "dispatched" else row["finish_due"]


def due_text(row: dict, tz: str) -> str:
    """'Sign for by …' or 'Finish by …' in the city's time zone."""
    if row["state"] == "dispatched":
        return _("Sign for by {time}", time=fmt_datetime(row["accept_due"], tz, "short"))
    return _("Finish by {time}", time=fmt_datetime(row["finish_due"], tz, "short"))


def progress_bar(value: int | None):
    """Progress as a labelled bar."""
    value = int(value or 0)
    return dbc.Progress(value=value, label=f"{value}%", className="task-progress", style={"height": "1.1rem"})


def timeline(events: list[dict], attachments: list[dict], names: dict[str, str], tz: str):
    """The full timeline, oldest first: when, who (name and unit), what, progress, note, cards, evidence files."""
    by_event: dict[int, list[dict]] = {}
    for a in attachments:
        by_event.setdefault(a["event_id"], []).append(a)
    items = []
    for e in events:
        who = names.get(e["actor_id"] or "", e["actor_id"] or _("System"))
        detail = e.get("detail") or {}
        facts = []
        if e.get("progress") is not None and e["action"] in ("report", "submit"):
            facts.append(html.Span(_("Progress {value}%", value=e["progress"]), className="tl-progress"))
        if e["action"] == "card":
            facts.append(card_badge(detail.get("card")))
        if detail.get("to_unit") and e["action"] in ("reassign", "redispatch"):
            facts.append(html.Span(_("to {unit}", unit=names.get(detail["to_unit"], detail["to_unit"]))))
        if detail.get("until"):
            facts.append(html.Span(_("until {time}", time=fmt_datetime(datetime.fromisoformat(detail["until"]), tz, "short"))))
        if e["action"] == "follow_up":
            facts.append(html.Span(_("Solved: {solved} · Satisfied: {satisfied}",
                                     solved=_("Yes") if detail.get("solved") else _("No"),
                                     satisfied=_("Yes") if detail.get("satisfied") else _("No"))))
        files = [html.A([html.I(className="bi bi-paperclip me-1"), a["filename"]], href=attachment_url(
            a["attachment_id"]), target="_blank", rel="noopener", className="tl-file")
                 for a in by_event.get(e["event_id"], [])]
        items.append(html.Li([
            html.Div([html.Span(fmt_datetime(e["occurred_at"], tz, "short"), className="tl-time"),
                      html.Span(action_label(e["action"]), className="tl-action"),
                      html.Span(who, className="tl-who")], className="tl-head"),
            html.Div([f for f in facts if f is not None], className="tl-facts") if facts else None,
            html.Div(e["note"], className="tl-note") if e.get("note") else None,
            html.Div(files, className="tl-files") if files else None,
        ], className=f"tl-item tl-{e['action']}", **{"data-action": e["action"]}))
    return html.Ol(items, className="task-timeline", id="task-timeline")
