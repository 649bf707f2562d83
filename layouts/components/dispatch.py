"""The dispatch dialog (一键派单) and the leader instruction dialog (领导批示), usable on any page.

Drop `dispatch_dialog(user, key, ...)` into a layout (a warning card, a plan proposal, the task board): it renders a
button and a modal whose unit, title, text, priority and deadlines are pre-filled — from the caller, else from the
routing table (domain × area → unit) and the SLA — and stay editable. `instruction_dialog(user, key, target, area)`
is the same dialog for a leader writing an instruction on an indicator, warning or area.

What the browser may not change (origin, origin id, domain, the form's request id) travels signed; each rendered
form has its own request id, so a double click or a resent request yields one task. The server checks role and area
again in `cockpit.tasks.dispatch.dispatch`, which also writes the audit record.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import MATCH, Input, Output, State, callback, ctx, html, no_update

from cockpit.auth.guard import Forbidden, client_ip, current_user, guarded
from cockpit.core import store
from cockpit.core.i18n import N_, _
from cockpit.core.scope import contains
from cockpit.core.store import User
from cockpit.tasks import routing
from cockpit.tasks.dispatch import dispatch
from cockpit.tasks.errors import Forbidden as TaskForbidden
from cockpit.tasks.errors import TaskError
from cockpit.tasks.transitions import DISPATCH_ROLES
from layouts.components.task_parts import PRIORITY_LABELS
from layouts.context import services

OPEN, MODAL, SUBMIT, CLOSE, RESULT, CONTEXT = (f"dd-{k}" for k in ("open", "modal", "submit", "close", "result",
                                                                   "context"))
FIELDS = {k: f"dd-{k}" for k in ("unit", "area", "title", "body", "priority", "accept", "finish")}
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def dispatch_dialog(user: User, key: str, *, origin: str = "manual", origin_id: str | None = None,
                    domain: str | None = None, area_code: str | None = None, title: str = "", body: str = "",
                    priority: str | None = None, to_unit: str | None = None, accept_due: datetime | None = None,
                    finish_due: datetime | None = None, button_label: str | None = None,
                    button_color: str = "primary", button_size: str | None = None):
    """A dispatch button with its dialog, pre-filled and editable.

    Args:
        key: unique on the page (e.g. the warning id); several dialogs may share a page.
        origin, origin_id: what the task comes from (`warning`/`W123`, `plan`/`P1:step2`, `manual`/None…).
        domain, area_code: used to route the task (domain × area → unit) when `to_unit` is not given.
        to_unit, priority, accept_due, finish_due, title, body: pre-filled values (a plan's proposal).
    """
    svc = services()
    now = svc.clock.now()
    area_code = area_code or user.area_code
    draft = routing.draft(svc.config, domain, area_code, now, priority=priority, plan_unit=to_unit)
    tz = svc.config.city.timezone
    context = sign({"origin": origin, "origin_id": origin_id, "domain": domain, "request_id": uuid.uuid4().hex,
                    "user": user.user_id})
    ids = {k: {"type": v, "key": key} for k, v in FIELDS.items()}
    form = html.Div([
        _row(_("Responsible unit"), dbc.Select(id=ids["unit"], className="dd-unit", options=unit_options(user), value=draft.to_unit,
                                               placeholder=_("Choose a unit"))),
        _row(_("Area"), dbc.Select(id=ids["area"], className="dd-area", options=area_options(user), value=area_code)),
        _row(_("Title"), dbc.Input(id=ids["title"], className="dd-title", value=title, maxLength=200)),
        _row(_("Task text"), dbc.Textarea(id=ids["body"], className="dd-body", value=body, rows=4, maxLength=4000)),
        _row(_("Priority"), dbc.Select(id=ids["priority"], className="dd-priority", value=draft.priority, options=[
            {"label": _(PRIORITY_LABELS.get(p, p)), "value": p} for p in svc.config.tasks.sla])),
        dbc.Row([
            dbc.Col(_row(_("Sign for by"), dbc.Input(id=ids["accept"], className="dd-accept", type="datetime-local",
                                                     value=_local(accept_due or draft.accept_due, tz))), sm=6),
            dbc.Col(_row(_("Finish by"), dbc.Input(id=ids["finish"], className="dd-finish", type="datetime-local",
                                                   value=_local(finish_due or draft.finish_due, tz))), sm=6),
        ], className="g-2"),
        html.Div(id={"type": RESULT, "key": key}),
    ])
    label = button_label or (_("Dispatch") if origin != "instruction" else _("Leader instruction"))
    return html.Div([
        dbc.Button([html.I(className="bi bi-send me-1"), label], id={"type": OPEN, "key": key}, color=button_color,
                   size=button_size, className="dispatch-open"),
        dbc.Modal([
            dbc.ModalHeader(dbc.ModalTitle(_("Leader instruction") if origin == "instruction"
                                           else _("Dispatch a task"))),
            dbc.ModalBody(form),
            dbc.ModalFooter([
                dbc.Button(_("Close window"), id={"type": CLOSE, "key": key}, color="secondary", outline=True),
                dbc.Button(_("Send"), id={"type": SUBMIT, "key": key}, color="primary", className="dispatch-send"),
            ]),
        ], id={"type": MODAL, "key": key}, is_open=False, size="lg", scrollable=True),
        html.Div(context, id={"type": CONTEXT, "key": key}, hidden=True, className="dispatch-context"),
    ], className="dispatch-dialog d-inline-block")


def instruction_dialog(user: User, key: str, target: str, area_code: str | None = None, title: str = "",
                       button_label: str | None = None, button_size: str | None = "sm"):
    """A leader's instruction (批示) on `target` — `indicator:<id>`, `warning:<id>` or `area:<code>` — that becomes
    a task to the unit the leader picks. Renders nothing for users who may not dispatch."""
    if user.role not in DISPATCH_ROLES:
        return None
    return dispatch_dialog(user, key, origin="instruction", origin_id=target, area_code=area_code, title=title,
                           button_label=button_label or _("Instruction"), button_color="outline-primary",
                           button_size=button_size)


def unit_options(user: User) -> list[dict]:
    """Units a task may go to from `user`: every department, and the centers inside the user's area."""
    out = []
    for u in store.units(services().db):
        if u["kind"] == "department" or contains(user.area_code, u["area_code"]):
            out.append({"label": u["name"], "value": u["unit_id"]})
    return out


def area_options(user: User) -> list[dict]:
    """The user's area and the areas inside it."""
    return [{"label": f"{a.name} ({a.code})", "value": a.code} for a in store.areas(services().db)
            if contains(user.area_code, a.code)]


def sign(context: dict) -> str:
    """`context` as JSON with an HMAC of the app secret (the browser may read it, not change it)."""
    text = json.dumps(context, sort_keys=True, separators=(",", ":"))
    mac = hmac.new(services().secret, text.encode(), hashlib.sha256).hexdigest()
    return f"{mac}.{text}"


def unsign(value: str | None) -> dict:
    """The context signed by `sign`; raises Forbidden when it was altered."""
    mac, _sep, text = (value or "").partition(".")
    good = hmac.new(services().secret, text.encode(), hashlib.sha256).hexdigest()
    if not text or not hmac.compare_digest(mac, good):
        raise Forbidden(N_("The form was altered. Reload the page."))
    return json.loads(text)


def parse_local(value: str | None, tz: str) -> datetime | None:
    """A `datetime-local` value in the city's time zone as an aware instant (None when empty or unreadable)."""
    if not value:
        return None
    try:
        return datetime.strptime(value[:16], LOCAL_FORMAT).replace(tzinfo=ZoneInfo(tz))
    except ValueError:
        return None


def _local(value: datetime, tz: str) -> str:
    return value.astimezone(ZoneInfo(tz)).strftime(LOCAL_FORMAT)


def _row(label: str, control):
    return html.Div([dbc.Label(label, className="form-label small mb-1"), control], className="mb-2")


@callback(Output({"type": MODAL, "key": MATCH}, "is_open"),
          Input({"type": OPEN, "key": MATCH}, "n_clicks"), Input({"type": CLOSE, "key": MATCH}, "n_clicks"),
          prevent_initial_call=True)
@guarded(DISPATCH_ROLES)
def toggle_dispatch_dialog(_open, _close):
    """Open the dialog from its button; close it from its close button."""
    return ctx.triggered_id is not None and ctx.triggered_id["type"] == OPEN


@callback(Output({"type": FIELDS["accept"], "key": MATCH}, "value"),
          Output({"type": FIELDS["finish"], "key": MATCH}, "value"),
          Input({"type": FIELDS["priority"], "key": MATCH}, "value"), prevent_initial_call=True)
@guarded(DISPATCH_ROLES)
def deadlines_for_priority(priority):
    """A new priority brings its SLA deadlines (still editable)."""
    svc = services()
    if priority not in svc.config.tasks.sla:
        return no_update, no_update
    draft = routing.draft(svc.config, None, current_user().area_code, svc.clock.now(), priority=priority)
    tz = svc.config.city.timezone
    return _local(draft.accept_due, tz), _local(draft.finish_due, tz)


@callback(Output({"type": RESULT, "key": MATCH}, "children"),
          Input({"type": SUBMIT, "key": MATCH}, "n_clicks"),
          State({"type": CONTEXT, "key": MATCH}, "children"),
          *(State({"type": FIELDS[k], "key": MATCH}, "value")
            for k in ("unit", "area", "title", "body", "priority", "accept", "finish")),
          prevent_initial_call=True)
@guarded(DISPATCH_ROLES)
def send_dispatch(clicks, context, unit, area, title, body, priority, accept, finish):
    """Dispatch the task (one per form, however often it is sent) and say which task it is."""
    if not clicks:
        return no_update
    user = current_user()
    signed = unsign(context)
    if signed.get("user") != user.user_id:
        raise Forbidden(N_("The form was altered. Reload the page."))
    svc = services()
    tz = svc.config.city.timezone
    try:
        if not unit:
            raise TaskError(N_("Choose a unit."))
        result = dispatch(svc.db, svc.config, user, origin=signed["origin"], origin_id=signed["origin_id"],
                          to_unit=unit, title=title or "", body=body or "", area_code=area or user.area_code,
                          now=svc.clock.now(), priority=priority, domain=signed["domain"],
                          accept_due=parse_local(accept, tz), finish_due=parse_local(finish, tz),
                          request_id=signed["request_id"], ip=client_ip())
    except TaskForbidden as exc:
        return dbc.Alert(_(exc.msgid, **exc.values), color="danger", className="dispatch-error mb-0 mt-2")
    except TaskError as exc:
        return dbc.Alert(_(exc.msgid, **exc.values), color="danger", className="dispatch-error mb-0 mt-2")
    task = result.task
    text = (_("Task {task} dispatched.", task=task.task_id) if result.created
            else _("Task {task} was already dispatched.", task=task.task_id))
    return html.Div(dbc.Alert([text, " ", html.A(_("Open task"), href=f"/tasks?id={task.task_id}",
                                                 className="alert-link")],
                              color="success" if result.created else "info", className="mb-0 mt-2"),
                    className="dispatch-done", **{"data-task": task.task_id, "data-created": str(result.created)})
