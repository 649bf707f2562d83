"""The task state machine as data: each action names the states it leaves, the state it reaches, the roles that
may make it and the relation the actor's unit must have to the task; `step` applies one action. Pure.

Relations:
    assignee    the actor's unit is the unit the task is assigned to (承办单位)
    dispatcher  the actor's unit dispatched the task, or the actor issued it (派单单位 / 批示领导)
    area        the task's area lies in the actor's area scope
    field       the actor works for the street center of the task's area (现场核查)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final

from cockpit.core.i18n import N_
from cockpit.core.scope import contains
from cockpit.tasks.errors import Forbidden, TaskError
from cockpit.tasks.model import Action, Actor, Event, Task

HANDLING: Final = frozenset({"handler", "duty_officer", "center_operator"})
DISPATCHING: Final = frozenset({"duty_officer", "center_operator", "leader"})
DESK: Final = frozenset({"duty_officer", "center_operator"})


@dataclass(frozen=True)
class Transition:
    """One allowed action. `target` None means the state does not change."""

    action: str
    sources: frozenset[str]
    target: str | None
    roles: frozenset[str]
    relations: frozenset[str]
    label: str
    needs_note: bool = False


def _t(action, sources, target, roles, relations, label, needs_note=False) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), frozenset(relations), label, needs_note)


WORKING = ("accepted", "in_progress")

TRANSITIONS: Final = {t.action: t for t in (
    _t("accept", ["dispatched"], "accepted", HANDLING, ["assignee"], N_("Sign for")),
    _t("decline", ["dispatched"], "declined", HANDLING, ["assignee"], N_("Decline"), needs_note=True),
    _t("report", WORKING, "in_progress", HANDLING, ["assignee"], N_("Report progress")),
    _t("submit", WORKING, "submitted", HANDLING, ["assignee"], N_("Submit result"), needs_note=True),
    _t("return", ["submitted"], "in_progress", DISPATCHING, ["dispatcher"], N_("Send back"), needs_note=True),
    _t("verify", ["submitted"], None, DESK, ["dispatcher", "field"], N_("Verify result"), needs_note=True),
    _t("close", ["submitted"], "closed", DISPATCHING, ["dispatcher"], N_("Close")),
    _t("reassign", ["dispatched", "declined", *WORKING], "dispatched", DISPATCHING, ["dispatcher"],
       N_("Reassign"), needs_note=True),
    _t("cancel", ["dispatched", "declined"], "cancelled", DISPATCHING, ["dispatcher"], N_("Cancel"),
       needs_note=True),
    _t("request_pause", ["in_progress"], None, HANDLING, ["assignee"], N_("Ask to suspend"), needs_note=True),
    _t("approve_pause", ["in_progress"], "paused", DISPATCHING, ["dispatcher"], N_("Approve suspension")),
    _t("resume", ["paused"], "in_progress", HANDLING | DISPATCHING, ["assignee", "dispatcher"], N_("Resume")),
    _t("request_extension", [*WORKING, "paused"], None, HANDLING, ["assignee"], N_("Ask for more time"),
       needs_note=True),
    _t("approve_extension", [*WORKING, "paused"], None, DISPATCHING, ["dispatcher"], N_("Approve more time")),
    _t("reject_request", [*WORKING, "paused"], None, DISPATCHING, ["dispatcher"], N_("Refuse request"),
       needs_note=True),
    _t("urge", ["dispatched", "declined", *WORKING, "paused"], None, DISPATCHING, ["dispatcher", "area"],
       N_("Urge"), needs_note=True),
    _t("follow_up", ["closed"], None, DESK, ["dispatcher", "area"], N_("Record follow-up call")),
    _t("card", ["dispatched", *WORKING], None, ["system"], ["system"], N_("SLA card")),
)}

# Actions that are not in the table because they are not steps of one task.
DISPATCH_ROLES: Final = DISPATCHING
REDISPATCH_ROLES: Final = DESK


def relations(task: Task, actor: Actor) -> frozenset[str]:
    """The relations `actor` has to `task`."""
    out = set()
    if actor.role == "system":
        return frozenset({"system"})
    if actor.unit_id and actor.unit_id == task.to_unit:
        out.add("assignee")
    if (actor.unit_id and actor.unit_id == task.from_unit) or (actor.user_id and actor.user_id == task.created_by):
        out.add("dispatcher")
    if actor.area_code and contains(actor.area_code, task.area_code):
        out.add("area")
    unit = actor.unit_id or ""
    if unit.startswith("center_") and len(unit) == len("center_") + 9 and contains(unit[7:], task.area_code):
        out.add("field")
    return frozenset(out)


def may(task: Task, action: str, actor: Actor) -> bool:
    """Whether `actor` may make `action` on `task` now (role, relation and state; not the action's values)."""
    t = TRANSITIONS.get(action)
    return (t is not None and task.state in t.sources and actor.role in t.roles
            and bool(t.relations & relations(task, actor)) and _guard(task, action) is None)


def allowed_actions(task: Task, actor: Actor) -> list[str]:
    """The actions `actor` may take on `task`, in table order (for the buttons of the detail page)."""
    return [a for a in TRANSITIONS if a != "card" and may(task, a, actor)]


def step(task: Task, action: Action, actor: Actor, now: datetime, shift=None) -> tuple[Task, Event]:
    """Apply `action` by `actor` at `now`; return the new task and its timeline event.

    Args:
        shift: `shift(due, since, now) -> due` moves a deadline by the working time between `since` and
            `now` (the SLA clock); used when a suspension ends. Natural time when None.

    Raises:
        Forbidden: the actor's role or relation to the task does not allow the action.
        TaskError: the action is unknown, not possible in this state, or lacks a value it needs.
    """
    t = TRANSITIONS.get(action.name)
    if t is None:
        raise TaskError(N_("Unknown task action {action}."), action=action.name)
    if actor.role not in t.roles or not (t.relations & relations(task, actor)):
        raise Forbidden(N_("You may not do this to this task."))
    if task.state not in t.sources:
        raise TaskError(N_("This cannot be done in the task's current state."))
    if (reason := _guard(task, action.name)) is not None:
        raise TaskError(reason)
    note = (action.note or "").strip() or None
    if t.needs_note and not note:
        raise TaskError(N_("Please give a reason or description."))
    target = t.target or task.state
    changes, detail = _EFFECTS.get(action.name, _no_effect)(task, action, actor, now, shift)
    new = replace(task, state=target, updated_at=now, **changes)
    new = replace(new, progress=_shown_progress(new))
    event = Event(task.task_id, now, actor.user_id, actor.unit_id, action.name, task.state, target,
                  new.progress if action.name in ("report", "submit", "close") else None, note, detail)
    return new, event


def _shown_progress(task: Task) -> int:
    return 100 if task.state in ("submitted", "closed") else task.reported_progress


def _guard(task: Task, action: str) -> str | None:
    """Why an action allowed by the table is still impossible for this task, or None."""
    if action == "close" and task.verified_at is None:
        return N_("The result must be verified before the task is closed.")
    if action in ("request_pause", "request_extension") and task.request_kind is not None:
        return N_("A request is already waiting for a decision.")
    if action == "approve_pause" and task.request_kind != "pause":
        return N_("There is no suspension request to approve.")
    if action == "approve_extension" and task.request_kind != "extension":
        return N_("There is no extension request to approve.")
    if action == "reject_request" and task.request_kind is None:
        return N_("There is no request to refuse.")
    if action == "follow_up" and (task.origin != "citizen" or task.followed_up_at is not None):
        return N_("Only a citizen request is followed up, and only once.")
    return None


def _no_effect(task, action, actor, now, shift):
    return {}, {}


def _accept(task, action, actor, now, shift):
    return {"accepted_at": now, "card": "none", "card_phase": None}, {}


def _report(task, action, actor, now, shift):
    if action.progress is None or not 0 <= action.progress <= 100:
        raise TaskError(N_("Progress must be a whole number from 0 to 100."))
    return {"reported_progress": int(action.progress)}, {}


def _submit(task, action, actor, now, shift):
    return {"submitted_at": now, "verified_at": None, "verified_by": None}, {}


def _return(task, action, actor, now, shift):
    return {"submitted_at": None, "verified_at": None, "verified_by": None}, {}


def _verify(task, action, actor, now, shift):
    return {"verified_at": now, "verified_by": actor.user_id}, {}


def _close(task, action, actor, now, shift):
    return {"closed_at": now, "request_kind": None, "request_reason": None, "request_until": None}, {
        "on_time": now <= task.finish_due}


def _reassign(task, action, actor, now, shift):
    if not action.to_unit or action.to_unit == task.to_unit:
        raise TaskError(N_("Choose a different unit to reassign to."))
    return {"to_unit": action.to_unit, "accepted_at": None, "reported_progress": 0, "request_kind": None,
            "request_reason": None, "request_until": None, "requested_by": None, "card": "none",
            "card_phase": None}, {"from_unit": task.to_unit, "to_unit": action.to_unit}


def _request(kind):
    def effect(task, action, actor, now, shift):
        until = None
        if kind == "extension":
            if action.until is None or action.until <= task.finish_due:
                raise TaskError(N_("The new deadline must be later than the current one."))
            until = action.until
        return {"request_kind": kind, "request_reason": action.note, "request_until": until,
                "requested_by": actor.user_id}, ({"until": until.isoformat()} if until else {})
    return effect


_CLEAR = {"request_kind": None, "request_reason": None, "request_until": None, "requested_by": None}


def _approve_pause(task, action, actor, now, shift):
    return {**_CLEAR, "paused_at": now}, {"reason": task.request_reason}


def _resume(task, action, actor, now, shift):
    since = task.paused_at or now
    move = shift or (lambda due, a, b: due + (b - a))
    return {"paused_at": None, "finish_due": move(task.finish_due, since, now)}, {
        "paused_since": since.isoformat()}


def _approve_extension(task, action, actor, now, shift):
    return {**_CLEAR, "finish_due": task.request_until, "card": "none", "card_phase": None}, {
        "from": task.finish_due.isoformat(), "to": task.request_until.isoformat()}


def _reject(task, action, actor, now, shift):
    return dict(_CLEAR), {"request": task.request_kind}


def _urge(task, action, actor, now, shift):
    return {"urge_count": task.urge_count + 1}, {}


def _follow_up(task, action, actor, now, shift):
    if action.solved is None or action.satisfied is None:
        raise TaskError(N_("Record both whether it was solved and whether the citizen is satisfied."))
    return {"solved": action.solved, "satisfied": action.satisfied, "followed_up_at": now}, {
        "solved": action.solved, "satisfied": action.satisfied}


def _card(task, action, actor, now, shift):
    if action.card not in ("yellow", "red"):
        raise TaskError(N_("Unknown card {card}."), card=str(action.card))
    counter = f"{action.card}_cards"
    return {"card": action.card, "card_phase": action.card_phase, counter: getattr(task, counter) + 1}, {
        "card": action.card, "phase": action.card_phase}


_EFFECTS = {
    "accept": _accept, "report": _report, "submit": _submit, "return": _return, "verify": _verify,
    "close": _close, "reassign": _reassign, "request_pause": _request("pause"),
    "request_extension": _request("extension"), "approve_pause": _approve_pause, "resume": _resume,
    "approve_extension": _approve_extension, "reject_request": _reject, "urge": _urge, "follow_up": _follow_up,
    "card": _card,
}



def rollup_progress(children: list[Task]) -> int | None:
    """A parent's progress from its sub-tasks: the floor of their mean, cancelled ones left out (None if none)."""
    counted = [c.progress for c in children if c.state != "cancelled"]
    return sum(counted) // len(counted) if counted else None


def with_rollup(parent: Task, children: list[Task]) -> Task:
    """`parent` with its progress rolled up from `children` (unchanged when it has none that count)."""
    rolled = rollup_progress(children)
    if rolled is None:
        return parent
    new = replace(parent, reported_progress=rolled)
    return replace(new, progress=_shown_progress(new))
