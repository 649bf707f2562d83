"""值班台 (duty desk): the live warning queue of the officer's area, a warning's detail with its timeline,
acknowledgement, silence, plans (预案) and dispatch; shift handover; noise statistics per rule.

Every callback checks the role on the server (`guarded`) and the domain functions check the area again, so
a warning of another district can be neither seen nor acknowledged, whatever the browser sends.
"""

from __future__ import annotations

from datetime import timedelta

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from alerts import actions, backtest, handover, levels, observe, plans, queries, silences
from alerts.errors import AlertError
from cockpit.auth.guard import client_ip, current_user, guarded
from cockpit.core import store as core_store
from cockpit.core.i18n import _
from cockpit.core.scope import contains
from cockpit.core.store import User
from cockpit.tasks import queries as task_queries
from layouts.components import warning_views as views
from layouts.components.common import page_header, panel
from layouts.components.dispatch import dispatch_dialog
from layouts.context import services

ROLES = frozenset({"duty_officer", "center_operator"})
QUEUE, POLL, VERSION = "duty-queue", "duty-poll", "duty-version"
FILTER_LEVEL, FILTER_DOMAIN, FILTER_AREA = "duty-filter-level", "duty-filter-domain", "duty-filter-area"
WARNING, DETAIL, FLASH = "duty-warning", "duty-detail", "duty-flash"
ACK_COMMENT, ACK_BUTTON = "duty-ack-comment", "duty-ack"
SILENCE_REASON, SILENCE_HOURS, SILENCE_BUTTON = "duty-silence-reason", "duty-silence-hours", "duty-silence"
HANDOVER_NOTES, HANDOVER_BUTTON, HANDOVER_LIST = "duty-handover-notes", "duty-handover", "duty-handovers"
TUNE_INDICATOR, TUNE_DAYS, TUNE_LEVELS = "duty-tune-indicator", "duty-tune-days", "duty-tune-levels"
TUNE_RUN, TUNE_APPLY, TUNE_RESULT = "duty-tune-run", "duty-tune-apply", "duty-tune-result"
POLL_MS = 10_000


def _names() -> dict[str, str]:
    return {a.code: a.name for a in core_store.areas(services().db)}


def layout(user: User, params: dict):
    """The queue for the user's area, or one warning's detail when `warning` is given."""
    svc = services()
    area = core_store.area(svc.db, user.area_code)
    subtitle = _("{area} · 24-hour duty", area=area.name if area else user.area_code)
    if params.get("warning"):
        wid = params["warning"][:20]
        return html.Div([
            page_header(_("Warning {id}", id=wid), subtitle, crumbs=[(_("Duty desk"), "/duty"), (wid, None)]),
            html.Div(id=FLASH), dcc.Store(id=WARNING, data=wid),
            html.Div(detail(user, wid), id=DETAIL),
        ])
    levels = [{"label": _(views.LEVEL_LABELS[lv]), "value": lv} for lv in ("red", "orange", "yellow", "blue")]
    domains = sorted({i.domain for i in svc.config.indicators.values() if i.levels})
    areas = [{"label": a.name, "value": a.code} for a in core_store.areas(svc.db)
             if contains(user.area_code, a.code) and a.level != "street"]
    filters = dbc.Row([
        dbc.Col(dcc.Dropdown(id=FILTER_LEVEL, options=levels, placeholder=_("All levels")), md=4),
        dbc.Col(dcc.Dropdown(id=FILTER_DOMAIN, options=[{"label": d, "value": d} for d in domains],
                             placeholder=_("All domains")), md=4),
        dbc.Col(dcc.Dropdown(id=FILTER_AREA, options=areas, placeholder=_("All areas")), md=4),
    ], className="g-2 mb-2")
    now = svc.clock.now()
    return html.Div([
        page_header(_("Duty desk"), subtitle),
        dcc.Interval(id=POLL, interval=POLL_MS), dcc.Store(id=VERSION),
        html.Div(id=FLASH),
        dbc.Row([
            dbc.Col(panel(_("Warning queue"), [filters, html.Div(queue(user, None, None, None), id=QUEUE)]), lg=8),
            dbc.Col([
                panel(_("Shift handover"), [
                    dbc.Textarea(id=HANDOVER_NOTES, rows=3, placeholder=_("Notes for the incoming officer")),
                    dbc.Button(_("Write handover"), id=HANDOVER_BUTTON, color="primary", size="sm",
                               className="mt-2 mb-3"),
                    html.Div(views.handover_panel(handover.recent(svc.db, user.area_code, 5), user.user_id,
                                                  svc.config.city.timezone), id=HANDOVER_LIST),
                ]),
                panel(_("Active silences"), views.silences_list(queries.silences(svc.db, user.area_code, now),
                                                                 svc.config.city.timezone)),
                panel(_("Noise per rule (30 days)"), views.noise_table(
                    queries.noise_stats(svc.db, user.area_code, now - timedelta(days=30)), svc.config.indicators)),
                panel(_("Tune levels with history"), tuning(user)),
            ], lg=4),
        ], className="g-3"),
    ])


def tuning(user: User):
    """Replay an indicator's history with proposed levels beside the current ones; the city center applies."""
    svc = services()
    options = [{"label": i.name, "value": iid} for iid, i in svc.config.indicators.items() if i.levels]
    return html.Div([
        dcc.Dropdown(id=TUNE_INDICATOR, options=options, placeholder=_("Indicator")),
        dbc.InputGroup([dbc.InputGroupText(_("Days")), dbc.Input(id=TUNE_DAYS, type="number", value=7, min=1,
                                                                max=90)], size="sm", className="mt-1"),
        dbc.Input(id=TUNE_LEVELS, placeholder="orange.above=250 orange.for=1h", size="sm", className="mt-1"),
        dbc.Button(_("Replay"), id=TUNE_RUN, size="sm", color="primary", className="mt-1 me-1"),
        html.Span(dbc.Button(_("Apply levels"), id=TUNE_APPLY, size="sm", color="danger", outline=True,
                             className="mt-1"),
                  hidden=user.role != "center_operator" or user.area_code != svc.config.city.code),
        html.Div(id=TUNE_RESULT, className="mt-2"),
    ])


def queue(user: User, level: str | None, domain: str | None, area: str | None):
    """The queue table in the user's scope (an area filter outside the scope shows nothing)."""
    svc = services()
    if area and not contains(user.area_code, area):
        area = user.area_code
    frame = queries.warning_queue(svc.db, svc.config, user.area_code, svc.clock.now(), level=level, domain=domain,
                                  area=area)
    return views.queue_table(list(frame.iter_rows(named=True)), _names(), svc.config.indicators,
                             svc.config.city.timezone)


def detail(user: User, warning_id: str):
    """One warning: facts, actions, plans with their proposals, timeline, sub-areas."""
    svc = services()
    tz = svc.config.city.timezone
    d = queries.warning_detail(svc.db, user.area_code, warning_id)
    if d is None:
        return dbc.Alert(_("No such warning."), color="warning", id="warning-missing")
    w, names = d.warning, _names()
    actions_row = []
    if w["indicator_id"]:
        actions_row.append(dbc.Button([html.I(className="bi bi-graph-up me-1"), _("Open the indicator")],
                                      href=f"/indicator?id={w['indicator_id']}&area={w['area_code']}",
                                      color="link", size="sm", id="open-indicator"))
    task_id = task_queries.task_for_origin(svc.db, "warning", warning_id)
    if task_id:
        actions_row.append(html.A([html.I(className="bi bi-box-arrow-up-right me-1"), task_id],
                                  href=f"/tasks?id={task_id}", className="task-link ms-2"))
    elif w["state"] in ("firing", "acknowledged"):
        ind = svc.config.indicators.get(w["indicator_id"] or "")
        actions_row.append(dispatch_dialog(user, f"warning-{warning_id}", origin="warning", origin_id=warning_id,
                                           domain=w["domain"], area_code=w["area_code"],
                                           title=views.subject(w, names, svc.config.indicators),
                                           body=w.get("detail") or "", button_size="sm",
                                           priority="high" if w["level"] in ("orange", "red") else None)
                           if ind is not None or w["kind"] == "source" else None)
    ack = html.Div([
        dbc.Textarea(id=ACK_COMMENT, rows=2, placeholder=_("Comment (what was done)")),
        dbc.Button(_("Acknowledge"), id=ACK_BUTTON, color="success", size="sm", className="mt-1"),
    ], className="mb-3", hidden=w["state"] != "firing")  # always present: the action callback needs its inputs
    silence = html.Div([
        dbc.InputGroup([
            dbc.Input(id=SILENCE_REASON, placeholder=_("Why (e.g. station maintenance)")),
            dbc.Select(id=SILENCE_HOURS, value="2", options=[{"label": _("{n} hours", n=n), "value": str(n)}
                                                              for n in (1, 2, 4, 8, 24)]),
            dbc.Button(_("Silence"), id=SILENCE_BUTTON, color="secondary"),
        ], size="sm"),
    ], className="mb-3", hidden=w["state"] == "resolved")
    plan_panels = [_plan(user, a) for a in d.activations]
    return dbc.Row([
        dbc.Col([
            panel(_("Warning"), [views.facts_list(w, names, svc.config.indicators, tz),
                                 html.Div(actions_row, className="mb-2"), ack, silence]),
            panel(_("Emergency plans"), plan_panels or html.P(_("No plan was triggered by this warning."),
                                                              className="text-muted")),
        ], lg=7),
        dbc.Col([
            panel(_("Timeline"), views.timeline(d.events, tz)),
            panel(_("Sub-areas that drove it"), views.sub_areas(d.sub_areas, names)),
        ], lg=5),
    ], className="g-3")


def _plan(user: User, activation: tuple):
    svc = services()
    tz = svc.config.city.timezone
    aid, plan_id, _wid, area_code = activation[:4]
    plan = svc.config.plans.get(plan_id)
    now = svc.clock.now()
    rows = []
    for p in plans.proposals(svc.db, aid):
        task_id = p.task_id or task_queries.task_for_origin(svc.db, "plan", f"{aid}:{p.seq}")
        if task_id and not p.task_id:  # dispatched from the dialog: keep the plan's record complete
            plans.record_dispatch(svc.db, user, aid, p.seq, task_id, now)
        finish = max(p.finish_due, now + timedelta(hours=1))
        dialog = dispatch_dialog(user, f"plan-{aid}-{p.seq}", origin="plan", origin_id=f"{aid}:{p.seq}",
                                 domain=plan.domain if plan else None, area_code=area_code, title=p.title,
                                 body=p.body, priority=p.priority, to_unit=p.unit_id,
                                 accept_due=now + min(timedelta(minutes=30), (finish - now) / 2),
                                 finish_due=finish, button_size="sm")
        rows.append(views.proposal_row(p, task_id, dialog, tz))
    return views.plan_panel(activation, plan.name if plan else plan_id, queries.plan_record(svc.db, aid), rows, tz)


@callback(Output(QUEUE, "children"), Output(VERSION, "data"),
          Input(FILTER_LEVEL, "value"), Input(FILTER_DOMAIN, "value"), Input(FILTER_AREA, "value"),
          Input(POLL, "n_intervals"), State(VERSION, "data"), prevent_initial_call=True)
@guarded(ROLES)
def refresh_queue(level, domain, area, _n, known):
    """Re-draw the queue when a filter changes or the warnings changed."""
    version = services().db.data_version("alerts")
    if ctx.triggered_id == POLL and version == known:
        return no_update, no_update
    return queue(current_user(), level, domain, area), version


@callback(Output(DETAIL, "children"), Output(FLASH, "children"),
          Input(ACK_BUTTON, "n_clicks"), Input(SILENCE_BUTTON, "n_clicks"),
          Input({"type": "duty-plan-act", "index": ALL}, "n_clicks"),
          State(WARNING, "data"), State(ACK_COMMENT, "value"), State(SILENCE_REASON, "value"),
          State(SILENCE_HOURS, "value"), prevent_initial_call=True)
@guarded(ROLES)
def act_on_warning(_ack, _silence, plan_clicks, warning_id, comment, reason, hours):
    """Acknowledge, silence, or start/raise/end a plan; then re-draw the detail with what happened."""
    trigger = ctx.triggered_id
    if trigger is None or (isinstance(trigger, dict) and not any(plan_clicks or [])):
        return no_update, no_update
    user, svc = current_user(), services()
    now = svc.clock.now()
    try:
        if trigger == ACK_BUTTON:
            actions.acknowledge(svc.db, user, str(warning_id), comment, now, client_ip())
            message = _("Acknowledged.")
        elif trigger == SILENCE_BUTTON:
            w = actions.scoped(svc.db, user, str(warning_id))
            silences.add(svc.db, user, reason=reason or "", ends_at=now + timedelta(hours=int(hours or 2)), now=now,
                         source_id=w.source_id, indicator_id=w.indicator_id, area_code=w.area_code)
            message = _("Silenced until {hours} hours from now.", hours=int(hours or 2))
        else:
            aid, _sep, kind = str(trigger["index"]).partition("|")
            plans.act(svc.db, user, aid, kind, now)
            message = _("Plan record updated.")
    except AlertError as exc:
        return no_update, dbc.Alert(_(exc.msgid, **exc.values), color="danger", className="action-error")
    return detail(user, str(warning_id)), dbc.Alert(message, color="success", className="action-done")


@callback(Output(HANDOVER_LIST, "children"), Output(FLASH, "children", allow_duplicate=True),
          Input(HANDOVER_BUTTON, "n_clicks"), Input({"type": "duty-handover-ack", "index": ALL}, "n_clicks"),
          State(HANDOVER_NOTES, "value"), prevent_initial_call=True)
@guarded(ROLES)
def shift_handover(_write, ack_clicks, notes):
    """The outgoing officer writes the handover (open warnings and tasks listed); the incoming one takes over."""
    trigger = ctx.triggered_id
    if trigger is None or (isinstance(trigger, dict) and not any(ack_clicks or [])):
        return no_update, no_update
    user, svc = current_user(), services()
    now = svc.clock.now()
    try:
        if trigger == HANDOVER_BUTTON:
            open_w = queries.warning_queue(svc.db, svc.config, user.area_code, now)
            open_w = [{"id": r["warning_id"], "level": r["level"], "state": r["state"], "rule": r["rule_id"],
                       "area": r["area_code"]} for r in open_w.iter_rows(named=True) if r["state"] != "resolved"]
            board = task_queries.board(svc.db, user, now)
            open_t = [{"id": r["task_id"], "title": r["title"], "state": r["state"], "overdue": r["overdue"]}
                      for rows in board["columns"].values() for r in rows]
            handover.write(svc.db, user, notes or "", open_w, open_t, now)
            message = _("Handover written.")
        else:
            handover.acknowledge(svc.db, user, str(trigger["index"]), now)
            message = _("You took over the shift.")
    except AlertError as exc:
        return no_update, dbc.Alert(_(exc.msgid, **exc.values), color="danger", className="action-error")
    return (views.handover_panel(handover.recent(svc.db, user.area_code, 5), user.user_id, svc.config.city.timezone),
            dbc.Alert(message, color="success", className="action-done"))


@callback(Output(TUNE_RESULT, "children"), Input(TUNE_RUN, "n_clicks"), Input(TUNE_APPLY, "n_clicks"),
          State(TUNE_INDICATOR, "value"), State(TUNE_DAYS, "value"), State(TUNE_LEVELS, "value"),
          prevent_initial_call=True)
@guarded(ROLES)
def tune_levels(_run, _apply, indicator_id, days, text):
    """Replay history with the proposed levels (areas of the user's scope), or apply them (audited)."""
    user, svc = current_user(), services()
    now = svc.clock.now()
    config = levels.effective_config(svc.db, svc.config)
    if indicator_id not in config.indicators:
        return dbc.Alert(_("Choose an indicator."), color="warning")
    try:
        changes = levels.parse_levels((text or "").split())
        if ctx.triggered_id == TUNE_APPLY:
            done = levels.apply_as(svc.db, svc.config, user, indicator_id, changes, now)
            return dbc.Alert(", ".join(f"{lv}.{name}: {old} → {new}" for lv, name, old, new in done) or "—",
                             color="success", className="action-done")
        ind = config.indicators[indicator_id]
        days = max(1, min(int(days or 7), 90))
        start = now - timedelta(days=days)
        series = {a: pts for a, pts in observe.indicator_series(svc.db, indicator_id, ind, now,
                                                                 start - backtest.history_needed(ind)).items()
                  if contains(user.area_code, a)}
        result = backtest.compare(config, indicator_id, series, start, now, changes)
    except AlertError as exc:
        return dbc.Alert(_(exc.msgid, **exc.values), color="danger", className="action-error")
    return views.backtest_table({k: v.as_dict() for k, v in result.items()}, _names())
