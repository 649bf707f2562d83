"""Pure builders of the duty desk (值班台): warning queue, warning detail with timeline and plans, handover,
noise statistics. Each takes rows from named queries and returns components; no queries, no rules."""

from __future__ import annotations

from urllib.parse import quote

import dash_bootstrap_components as dbc
from dash import html

from alerts.reasons import LEVEL_LABELS, TIER_LABELS, render
from cockpit.core.i18n import N_, _, fmt_datetime, fmt_number
from layouts.components.common import empty_state

STATE_LABELS = {"pending": N_("Pending"), "firing": N_("Firing"), "acknowledged": N_("Acknowledged"),
                "resolved": N_("Resolved"), "inactive": N_("Cleared before firing")}
EVENT_LABELS = {"pending": N_("Pending"), "firing": N_("Firing"), "level_up": N_("Level raised"),
                "level_down": N_("Level lowered"), "acknowledged": N_("Acknowledged"), "resolved": N_("Resolved"),
                "cancelled": N_("Cleared before firing"), "escalated": N_("Escalated")}
PLAN_STATES = {"proposed": N_("Proposed"), "active": N_("Started"), "ended": N_("Ended")}
PLAN_EVENTS = {"propose": N_("Proposed"), "start": N_("Started"), "escalate": N_("Raised"), "end": N_("Ended")}


def level_badge(level: str | None):
    """The level's colour badge (蓝/黄/橙/红)."""
    if level not in LEVEL_LABELS:
        return html.Span("—", className="level-badge level-normal")
    return html.Span(_(LEVEL_LABELS[level]), className=f"level-badge level-{level}")


def subject(row: dict, names: dict, indicators: dict) -> str:
    """What the warning is about: the indicator's (or source's) name and the area's."""
    if row.get("source_id"):
        what = _("Data source {source}", source=row["source_id"])
    else:
        ind = indicators.get(row.get("indicator_id"))
        what = ind.name if ind is not None else (row.get("indicator_id") or row["rule_id"])
        if row.get("kind") == "no_data":
            what = f"{what} · {_('Data feed interrupted')}"
    return f"{names.get(row['area_code'], row['area_code'])} · {what}"


def queue_table(rows: list[dict], names: dict, indicators: dict, tz: str):
    """The warning queue: most severe and newest first, each row opening its detail."""
    if not rows:
        return empty_state(_("No open warnings"),
                           _("Warnings raised by the indicator rules appear here, newest and most severe first."),
                           icon="bell")
    body = []
    for r in rows:
        badges = [dbc.Badge(_("Silenced"), color="secondary", className="ms-1")] if r.get("silenced") else []
        if r.get("tier") and r["state"] == "firing":
            badges.append(dbc.Badge(_(TIER_LABELS.get(r["tier"], r["tier"])), color="light", text_color="dark",
                                    className="ms-1"))
        body.append(html.Tr([
            html.Td(level_badge(r["level"])),
            html.Td(html.A(r["warning_id"], href=f"/duty?warning={quote(r['warning_id'])}",
                           className="warning-link")),
            html.Td(subject(r, names, indicators)),
            html.Td([_(STATE_LABELS.get(r["state"], r["state"])), *badges]),
            html.Td(render(r["reason"], r["reason_args"])),
            html.Td(fmt_datetime(r["fired_at"] or r["started_at"], tz, "short")),
        ], className=f"warning-row state-{r['state']}", **{"data-warning": r["warning_id"]}))
    head = html.Thead(html.Tr([html.Th(_("Level")), html.Th(_("Warning")), html.Th(_("Area and indicator")),
                               html.Th(_("State")), html.Th(_("Reason")), html.Th(_("Since"))]))
    return dbc.Table([head, html.Tbody(body)], hover=True, size="sm", className="warning-queue", id="warning-table")


def facts_list(w: dict, names: dict, indicators: dict, tz: str):
    """The warning's facts: state, level, reason, value against threshold, tier, times."""
    items = [
        (_("State"), _(STATE_LABELS.get(w["state"], w["state"]))),
        (_("Level"), level_badge(w["level"])),
        (_("Reason"), render(w["reason"], w["reason_args"])),
        (_("Value"), f"{fmt_number(w['value'], 2)} / {_('threshold')} {fmt_number(w['threshold'], 2)}"),
        (_("Detail"), w.get("detail") or "—"),
        (_("Escalation tier"), _(TIER_LABELS[w["tier"]]) if w.get("tier") in TIER_LABELS else "—"),
        (_("Condition began"), fmt_datetime(w["started_at"], tz, "short")),
        (_("Fired"), fmt_datetime(w["fired_at"], tz, "short")),
        (_("Acknowledged"), f"{w['acknowledged_by']} · {fmt_datetime(w['acknowledged_at'], tz, 'short')}"
         + (f" · {w['ack_comment']}" if w.get("ack_comment") else "") if w.get("acknowledged_by") else "—"),
        (_("Resolved"), fmt_datetime(w["resolved_at"], tz, "short")),
    ]
    return html.Dl([x for k, v in items for x in (html.Dt(k, className="col-sm-3"), html.Dd(v, className="col-sm-9"))],
                   className="row warning-facts")


def timeline(events: list, tz: str):
    """Every transition of the warning, oldest first, with its reason and who made it."""
    return html.Ol([
        html.Li([html.Span(fmt_datetime(e.at, tz, "short"), className="timeline-time me-2"),
                 level_badge(e.level), " ",
                 html.Strong(_(EVENT_LABELS.get(e.kind, e.kind))), " · ", render(e.reason, e.reason_args),
                 html.Span(f" · {e.actor}" if e.actor != "system" else "", className="text-muted"),
                 html.Span(f" · {e.comment}" if e.comment else "")],
                className=f"timeline-item kind-{e.kind}")
        for e in events], className="warning-timeline", id="warning-timeline")


def sub_areas(rows: list[tuple], names: dict):
    """The sub-areas whose own warnings of the same rule drove this one."""
    if not rows:
        return html.P(_("No sub-area has its own open warning of this rule."), className="text-muted")
    return html.Ul([html.Li([level_badge(level), " ", names.get(code, code), " · ",
                             _(STATE_LABELS.get(state, state))]) for code, level, state in rows],
                   className="sub-areas")


def proposal_row(p, task_id: str | None, dialog, tz: str):
    """One pre-filled task of a plan; the dispatch dialog keeps unit, text and deadline editable. A dispatched
    proposal links to its task."""
    action = (html.A([html.I(className="bi bi-box-arrow-up-right me-1"), task_id], href=f"/tasks?id={quote(task_id)}",
                     className="task-link") if task_id else dialog)
    return html.Tr([html.Td(p.unit_id), html.Td(p.title), html.Td(fmt_datetime(p.finish_due, tz, "short")),
                    html.Td(action)], className="proposal-row")


def plan_panel(activation: tuple, plan_name: str, events: list[tuple], rows: list, tz: str):
    """A plan activation: its record (启动/升级/解除 with who and when) and its proposed tasks (`rows`)."""
    aid, _plan_id, _wid, _area, level, state, *_rest = activation
    record = html.Ul([html.Li(f"{fmt_datetime(at, tz, 'short')} · {_(PLAN_EVENTS.get(k, k))} · {who}"
                              + (f" · {note}" if note else "")) for at, k, who, _lv, note in events],
                     className="plan-record")
    buttons = []
    if state == "proposed":
        buttons.append(dbc.Button(_("Start plan"), size="sm", color="danger", className="me-1",
                                  id={"type": "duty-plan-act", "index": f"{aid}|start"}))
    if state == "active":
        buttons.append(dbc.Button(_("Raise plan"), size="sm", color="warning", className="me-1",
                                  id={"type": "duty-plan-act", "index": f"{aid}|escalate"}))
    if state in ("proposed", "active"):
        buttons.append(dbc.Button(_("End plan"), size="sm", color="secondary",
                                  id={"type": "duty-plan-act", "index": f"{aid}|end"}))
    table = dbc.Table([html.Thead(html.Tr([html.Th(_("Unit")), html.Th(_("Task")), html.Th(_("Deadline")),
                                           html.Th("")])),
                       html.Tbody(rows)], size="sm")
    return html.Div([
        html.H3([plan_name, " ", level_badge(level), " ",
                 dbc.Badge(_(PLAN_STATES.get(state, state)), color="dark", className="ms-1")], className="h6"),
        html.Div(buttons, className="mb-2"), record, table,
    ], className="plan-activation", id=f"plan-{aid}")


def handover_panel(handovers: list, user_id: str, tz: str):
    """Recent handovers: the newest unacknowledged one offers the incoming officer to take over."""
    if not handovers:
        return html.P(_("No handover written yet."), className="text-muted")
    items = []
    for h in handovers:
        status = (_("Taken over by {user} at {time}", user=h.acknowledged_by,
                    time=fmt_datetime(h.acknowledged_at, tz, "short")) if h.acknowledged_by else _("Not taken over"))
        take = (dbc.Button(_("Take over the shift"), size="sm", color="success",
                           id={"type": "duty-handover-ack", "index": h.handover_id})
                if h.acknowledged_by is None and h.written_by != user_id else None)
        items.append(html.Li([
            html.Div([html.Strong(h.handover_id), f" · {h.written_by} · {fmt_datetime(h.written_at, tz, 'short')}"]),
            html.Div(h.notes, className="handover-notes"),
            html.Div(_("{warnings} open warnings, {tasks} open tasks", warnings=len(h.open_warnings),
                       tasks=len(h.open_tasks)), className="text-muted"),
            html.Div([status, " ", take]),
        ], className="handover-item"))
    return html.Ul(items, className="handovers list-unstyled")


def noise_table(frame, indicators: dict):
    """Per rule: how often it fired, re-fired, changed level, cleared before firing; minutes to ack/resolve."""
    if frame.is_empty():
        return html.P(_("No warnings in the last 30 days."), className="text-muted")
    rows = []
    for r in frame.iter_rows(named=True):
        ind = indicators.get(r["rule_id"].split("#")[0])
        rows.append(html.Tr([html.Td(ind.name if ind else r["rule_id"]), html.Td(r["fired"]), html.Td(r["refired"]),
                             html.Td(r["level_changes"]), html.Td(r["cancelled"]),
                             html.Td(fmt_number(r["ack_minutes"])), html.Td(fmt_number(r["resolve_minutes"]))]))
    head = html.Thead(html.Tr([html.Th(_("Rule")), html.Th(_("Fired")), html.Th(_("Re-fired")),
                               html.Th(_("Level changes")), html.Th(_("Cleared before firing")),
                               html.Th(_("Minutes to acknowledge")), html.Th(_("Minutes to resolve"))]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", className="noise-stats")


def silences_list(rows: list, tz: str):
    """Active silences: who set them, why, until when, what they match and how much they suppressed."""
    if not rows:
        return html.P(_("No active silence."), className="text-muted")
    return html.Ul([html.Li([
        html.Strong(s.silence_id), f" · {s.created_by} · ",
        _("until {time}", time=fmt_datetime(s.ends_at, tz, "short")), html.Br(),
        f"{s.indicator_id or s.source_id or '*'} · {s.area_code or '*'} · {s.reason} · ",
        html.Span(_("{count} suppressed", count=s.suppressed), className="suppressed-count")],
        className="silence-item") for s in rows], className="silences list-unstyled")


def backtest_table(figures: dict[str, dict], names: dict):
    """Current against proposed levels over the replayed history: how many warnings, how long, which areas."""
    labels = {"current": _("Current levels"), "proposed": _("Proposed levels")}
    rows = []
    for key, f in figures.items():
        areas = ", ".join(f"{names.get(a, a)} ({n})" for a, n in sorted(f["by_area"].items(), key=lambda x: -x[1]))
        by_level = " ".join(f"{_(LEVEL_LABELS[lv])} {n}" for lv, n in f["by_level"].items() if lv in LEVEL_LABELS)
        rows.append(html.Tr([html.Td(labels.get(key, key)), html.Td(f["warnings"], className="bt-warnings"),
                             html.Td(fmt_number(f["firing_hours"], 1)), html.Td(fmt_number(f["mean_hours"], 1)),
                             html.Td(by_level or "—"), html.Td(areas or "—")], className=f"backtest-{key}"))
    head = html.Thead(html.Tr([html.Th(""), html.Th(_("Warnings")), html.Th(_("Hours firing")),
                               html.Th(_("Mean hours")), html.Th(_("By level")), html.Th(_("Areas"))]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", className="backtest-table")
