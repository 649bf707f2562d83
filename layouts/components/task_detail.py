"""任务详情: one task's facts, its origin (warning, indicator, area), sub-tasks, the full timeline, and a form with
exactly the actions the current user may take (from the transition table). Used by the board (`/tasks?id=`) and,
laid out for a phone, by 我的任务 (`/my-tasks?id=`)."""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from cockpit.auth.guard import Forbidden, client_ip, current_user, guarded
from cockpit.core import store as core_store
from cockpit.core.audit import Actor, audit
from cockpit.core.i18n import N_, _, fmt_datetime
from cockpit.core.store import User
from cockpit.tasks import queries, service
from cockpit.tasks.dispatch import dispatch
from cockpit.tasks.errors import Forbidden as TaskForbidden
from cockpit.tasks.errors import NotFound, TaskError
from cockpit.tasks.model import Action, Upload
from cockpit.tasks.transitions import TRANSITIONS
from layouts.components.common import panel
from layouts.components.dispatch import parse_local
from layouts.components.errors import forbidden
from layouts.components.task_parts import (
    action_label,
    card_badge,
    origin_label,
    overdue_badge,
    priority_badge,
    progress_bar,
    state_badge,
    timeline,
)
from layouts.context import services

BOX, TASK, MESSAGE, BUTTON = "td-box", "td-task", "td-message", "td-action"
FIELDS = {k: f"td-{k}" for k in ("note", "progress", "until", "to_unit", "solved", "satisfied", "upload",
                                 "street", "sub_title")}
UPLOAD_NAMES = "td-upload-names"
ACTING_ROLES = ("handler", "duty_officer", "center_operator", "leader")
BUTTON_COLORS = {"accept": "success", "submit": "success", "close": "success", "verify": "primary",
                 "decline": "outline-danger", "return": "outline-danger", "cancel": "outline-danger",
                 "urge": "warning", "report": "primary", "redispatch": "primary"}


def task_href(user: User, task_id: str) -> str:
    """Where `user` opens a task: handlers in 我的任务, everyone else on the board."""
    return f"/my-tasks?id={task_id}" if user.role == "handler" else f"/tasks?id={task_id}"


def task_detail_panel(user: User, task_id: str, compact: bool = False):
    """The detail view of `task_id` for `user` (refused — and audited — when it is outside their scope)."""
    content = render(user, task_id, compact)
    return html.Div([
        dcc.Store(id=TASK, data={"task_id": task_id, "compact": compact}),
        html.Div(content, id=BOX),
    ], className="task-detail" + (" task-detail-compact" if compact else ""))


def render(user: User, task_id: str, compact: bool, message=None):
    """The detail view's content."""
    svc = services()
    now = svc.clock.now()
    try:
        detail = queries.task_detail(svc.db, user, task_id, now)
    except NotFound:
        return html.Div(_("No such task."), className="alert alert-warning", id="task-missing")
    except TaskForbidden:
        audit(svc.db, Actor(user.user_id, client_ip()), "task.view", f"task:{task_id[:40]}", None, "denied",
              clock=svc.clock)
        return forbidden()
    tz = svc.config.city.timezone
    names = _names()
    task = detail["task"]
    facts = dbc.Row([
        _fact(_("Responsible unit"), names.get(task["to_unit"], task["to_unit"])),
        _fact(_("Dispatched by"), names.get(task["from_unit"], task["from_unit"])),
        _fact(_("Area"), names.get(task["area_code"], task["area_code"])),
        _fact(_("Origin"), _origin(user, task, names)),
        _fact(_("Sign for by"), fmt_datetime(task["accept_due"], tz, "short")),
        _fact(_("Finish by"), fmt_datetime(task["finish_due"], tz, "short")),
        _fact(_("Urged"), _("{count} times", count=task["urge_count"])) if task["urge_count"] else None,
        _fact(_("Waiting for a decision"), _request_text(task, tz)) if task["request_kind"] else None,
        _fact(_("Parent task"), html.A(task["parent_task_id"], href=task_href(user, task["parent_task_id"])))
        if task["parent_task_id"] else None,
    ], className="g-2 task-facts")
    header = html.Div([
        html.Div([state_badge(task["state"]), priority_badge(task["priority"]), overdue_badge(task),
                  card_badge(task["card"])], className="task-badges"),
        html.H2(task["title"], className="task-title", id="task-title"),
        html.Div(task["task_id"], className="code text-muted small", id="task-id"),
        html.P(task["body"], className="task-body", id="task-body") if task["body"] else None,
        progress_bar(task["progress"]),
    ])
    parts = [
        html.Div(message, id=MESSAGE),
        panel(_("Task"), [header, facts], class_name="mb-3"),
        panel(_("Actions"), _action_form(user, detail, compact), class_name="mb-3")
        if detail["actions"] or detail["may_redispatch"] else None,
        panel(_("Sub-tasks"), _subtasks(user, detail["subtasks"], names, tz), class_name="mb-3")
        if detail["subtasks"] else None,
        panel(_("Timeline"), timeline(detail["timeline"], detail["attachments"], names, tz), class_name="mb-3"),
    ]
    return [p for p in parts if p is not None]


def _names() -> dict[str, str]:
    db = services().db
    names = {u.user_id: u.display_name for u in core_store.users(db)}
    names.update({u["unit_id"]: u["short"] or u["name"] for u in core_store.units(db)})
    names.update({a.code: a.name for a in core_store.areas(db)})
    return names


def _fact(label: str, value):
    return dbc.Col([html.Div(label, className="fact-label"), html.Div(value, className="fact-value")], xs=6, md=4)


def _request_text(task: dict, tz: str) -> str:
    what = _("Suspension") if task["request_kind"] == "pause" else _("More time until {time}", time=fmt_datetime(
        task["request_until"], tz, "short"))
    return f"{what} · {task['request_reason'] or ''}"


def _origin(user: User, task: dict, names: dict):
    """The origin, linked to the warning, indicator or area it came from where a page for it exists."""
    from layouts.registry import page_at  # the registry imports the pages that import this module

    label = origin_label(task["origin"])
    origin_id = task["origin_id"] or ""
    kind, _sep, ref = origin_id.partition(":") if task["origin"] == "instruction" else (task["origin"], "", origin_id)
    href, text = None, ref
    if kind == "warning" and ref:
        href, text = f"/duty?warning={ref}", _("Warning {id}", id=ref)
    elif kind == "indicator" and ref:
        href = f"/indicator?id={ref}" if page_at("/indicator") else None
        text = _("Indicator {id}", id=ref)
    elif kind == "area" and ref:
        href, text = f"/district?area={ref}", names.get(ref, ref)
    if href and (page := page_at(href.split("?")[0])) is not None and user.role not in page.roles:
        href = None
    target = html.A(text, href=href, id="task-origin-link") if href else html.Span(text)
    return [label, " · ", target] if ref else label


def _subtasks(user: User, rows: list[dict], names: dict, tz: str):
    return html.Ul([html.Li([html.A(r["title"], href=task_href(user, r["task_id"])), " ",
                             state_badge(r["state"]), " ", names.get(r["to_unit"], r["to_unit"]), " ",
                             f"{r['progress']}%"]) for r in rows], className="task-subtasks")


def _action_form(user: User, detail: dict, compact: bool):
    actions = detail["actions"]
    config = services().config
    task = detail["task"]
    fields = []
    if "report" in actions:
        fields.append(_field(_("Progress (%)"), dbc.Input(id=FIELDS["progress"], type="number", min=0, max=100,
                                                         step=5, value=task["reported_progress"])))
    if "request_extension" in actions:
        fields.append(_field(_("New deadline (for more time)"), dbc.Input(id=FIELDS["until"],
                                                                         type="datetime-local")))
    if "reassign" in actions:
        options = [{"label": u["name"], "value": u["unit_id"]} for u in core_store.units(services().db)
                   if u["unit_id"] != task["to_unit"]]
        fields.append(_field(_("Reassign to"), dbc.Select(id=FIELDS["to_unit"], options=options,
                                                          placeholder=_("Choose a unit"))))
    if "follow_up" in actions:
        yes_no = [{"label": _("Yes"), "value": "yes"}, {"label": _("No"), "value": "no"}]
        fields.append(_field(_("Solved?"), dbc.RadioItems(id=FIELDS["solved"], options=yes_no, inline=True)))
        fields.append(_field(_("Citizen satisfied?"), dbc.RadioItems(id=FIELDS["satisfied"], options=yes_no,
                                                                      inline=True)))
    if set(actions) & service.FILE_ACTIONS:
        fields.append(_field(_("Photos or PDF (evidence)"), html.Div([
            dcc.Upload(html.Div([html.I(className="bi bi-camera me-1"), _("Take or choose photos")]),
                       id=FIELDS["upload"], multiple=True, accept="image/jpeg,image/png,application/pdf",
                       max_size=config.tasks.attachments.max_bytes, className="task-upload"),
            html.Div(id=UPLOAD_NAMES, className="small text-muted"),
        ])))
    if actions:
        fields.append(_field(_("Note"), dbc.Textarea(id=FIELDS["note"], rows=3, maxLength=4000,
                                                     placeholder=_("Reason, result or instructions"))))
    buttons = [_button(a, action_label(a), " w-100 mb-2" if compact else " me-2 mb-2") for a in actions]
    redispatch = None
    if detail["may_redispatch"]:
        streets = queries.redispatch_targets(services().db, task["area_code"], user)
        redispatch = html.Div([
            html.H3(_("Re-dispatch to a street"), className="h6 mt-3"),
            _field(_("Street center"), dbc.Select(id=FIELDS["street"], options=[
                {"label": u["name"], "value": u["unit_id"]} for u in streets], placeholder=_("Choose a unit"))),
            _field(_("Title"), dbc.Input(id=FIELDS["sub_title"], value=task["title"], maxLength=200)),
            _button("redispatch", _("Send sub-task"), ""),
        ])
    hidden = _missing_fields(actions, detail["may_redispatch"])
    return html.Div([*fields, html.Div(buttons, className="task-action-buttons"), redispatch, *hidden])


def _button(action: str, label: str, extra: str):
    color = BUTTON_COLORS.get(action, "secondary")
    return html.Button(label, id={"type": BUTTON, "action": action}, n_clicks=0, type="button",
                       className=f"btn btn-{color} task-action-button{extra}", **{"data-action": action})


def _missing_fields(actions: list[str], may_redispatch: bool) -> list:
    """Hidden stand-ins for the fields this user has no use for, so the one action callback always has its states."""
    present = set()
    if "report" in actions:
        present.add("progress")
    if "request_extension" in actions:
        present.add("until")
    if "reassign" in actions:
        present.add("to_unit")
    if "follow_up" in actions:
        present |= {"solved", "satisfied"}
    if set(actions) & service.FILE_ACTIONS:
        present.add("upload")
    if actions:
        present.add("note")
    if may_redispatch:
        present |= {"street", "sub_title"}
    out = []
    for key in FIELDS:
        if key in present:
            continue
        if key == "upload":
            out.append(dcc.Upload(id=FIELDS[key], style={"display": "none"}))
            out.append(html.Div(id=UPLOAD_NAMES, hidden=True))
        else:
            out.append(dbc.Input(id=FIELDS[key], type="hidden"))
    return out


def _field(label: str, control):
    return html.Div([dbc.Label(label, className="form-label small mb-1"), control], className="mb-2")


@callback(Output(UPLOAD_NAMES, "children"), Input(FIELDS["upload"], "filename"), prevent_initial_call=True)
@guarded(ACTING_ROLES)
def show_chosen_files(names):
    """The names of the files chosen for upload (as text)."""
    return ", ".join(names or []) if isinstance(names, list) else (names or "")


@callback(Output(BOX, "children"),
          Input({"type": BUTTON, "action": ALL}, "n_clicks"),
          State(TASK, "data"),
          *(State(FIELDS[k], "value") for k in ("note", "progress", "until", "to_unit", "solved", "satisfied",
                                                "street", "sub_title")),
          State(FIELDS["upload"], "contents"), State(FIELDS["upload"], "filename"),
          prevent_initial_call=True)
@guarded(ACTING_ROLES)
def act_on_task(clicks, task_ref, note, progress, until, to_unit, solved, satisfied, street, sub_title, contents,
                filenames):
    """Carry out the clicked action through the domain service (which checks permission and audits)."""
    if not ctx.triggered or not ctx.triggered[0]["value"] or not isinstance(ctx.triggered_id, dict):
        return no_update
    user = current_user()
    svc = services()
    task_id, compact = str((task_ref or {}).get("task_id") or ""), bool((task_ref or {}).get("compact"))
    name = ctx.triggered_id["action"]
    now = svc.clock.now()
    try:
        if name == "redispatch":
            if not street:
                raise TaskError(N_("Choose a unit."))
            made = dispatch(svc.db, svc.config, user, origin="subtask", origin_id=task_id, to_unit=street,
                            title=sub_title or "", body=note or "", area_code=user.area_code, now=now,
                            parent_task_id=task_id, ip=client_ip())
            message = _("Sub-task {task} sent.", task=made.task.task_id)
        elif name in TRANSITIONS:
            files = _uploads(contents, filenames) if name in service.FILE_ACTIONS else ()
            action = Action(name, note=note, progress=_int(progress), until=parse_local(until, svc.config.city.timezone),
                            to_unit=to_unit or None, solved=_yes_no(solved), satisfied=_yes_no(satisfied), files=files)
            service.act(svc.db, svc.config, user, task_id, action, now, data_dir=_data_dir(), ip=client_ip())
            message = _("{action}: done.", action=action_label(name))
        else:
            return no_update
    except TaskForbidden as exc:
        raise Forbidden(exc.msgid) from exc
    except NotFound as exc:
        raise Forbidden(exc.msgid) from exc
    except TaskError as exc:
        alert = dbc.Alert(_(exc.msgid, **exc.values), color="danger", className="task-error", dismissable=True)
        return render(user, task_id, compact, alert)
    return render(user, task_id, compact, dbc.Alert(message, color="success", className="task-done",
                                                    dismissable=True))


def _data_dir() -> Path:
    return Path(services().config.database.path).parent


def _int(value) -> int | None:
    try:
        return None if value in (None, "") else int(value)
    except (TypeError, ValueError):
        return -1  # the domain refuses it with a clear message


def _yes_no(value) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _uploads(contents, filenames) -> tuple[Upload, ...]:
    """Decode dcc.Upload data URLs; the domain checks type (by content) and size."""
    if not contents:
        return ()
    contents = contents if isinstance(contents, list) else [contents]
    filenames = filenames if isinstance(filenames, list) else [filenames] * len(contents)
    out = []
    for data, name in zip(contents, filenames, strict=False):
        _head, _sep, payload = (data or "").partition(",")
        try:
            out.append(Upload(str(name or "file"), base64.b64decode(payload, validate=True)))
        except (binascii.Error, ValueError) as exc:
            raise TaskError(N_("The file could not be read.")) from exc
    return tuple(out)
