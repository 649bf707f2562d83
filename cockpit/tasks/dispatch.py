"""Making tasks: one-click dispatch (idempotent per origin) and re-dispatch of sub-tasks by a district center."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from cockpit.core import store as core_store
from cockpit.core.audit import Actor as AuditActor
from cockpit.core.audit import audit
from cockpit.core.clock import FixedClock
from cockpit.core.config import Config
from cockpit.core.db import Database
from cockpit.core.i18n import N_
from cockpit.core.scope import contains
from cockpit.tasks import store
from cockpit.tasks.errors import Forbidden, NotFound, TaskError
from cockpit.tasks.model import ORIGINS, Event, Task, actor_of
from cockpit.tasks.service import roll_up
from cockpit.tasks.sla import SlaPolicy
from cockpit.tasks.transitions import DISPATCH_ROLES, REDISPATCH_ROLES, relations

# Origins that yield at most one task each (a warning is dispatched once, however many officers click).
UNIQUE_ORIGINS = frozenset({"warning", "plan", "citizen", "supervision"})


@dataclass(frozen=True)
class Dispatched:
    """The task for a dispatch request, and whether this request created it (False: it existed already)."""

    task: Task
    created: bool


def dispatch(db: Database, config: Config, user, *, origin: str, origin_id: str | None, to_unit: str, title: str,
             body: str, area_code: str, now: datetime, priority: str | None = None, domain: str | None = None,
             accept_due: datetime | None = None, finish_due: datetime | None = None,
             parent_task_id: str | None = None, request_id: str | None = None,
             ip: str | None = None) -> Dispatched:
    """Create a task (待签收) for `to_unit`, or return the one already made for the same origin.

    A task from a warning, plan, citizen request or supervision item is unique per (origin, origin_id):
    dispatching it twice, even at the same moment, yields one task. A leader instruction's `origin_id` names what
    it was written on (`indicator:<id>`, `warning:<id>`, `area:<code>`), and every instruction is its own task;
    like manual tasks, it is protected against a double submit by `request_id` (one per rendered form). With
    `parent_task_id` this is a re-dispatch: the parent's assignee (a district center) hands a sub-task
    to one of its street centers, and the parent's progress is rolled up from its sub-tasks.

    Raises:
        Forbidden: the user may not dispatch, or not in this area, or not under this parent (audited).
        TaskError: unknown unit, area, origin or priority; an empty title; impossible deadlines.
    """
    try:
        return _dispatch(db, config, user, origin, origin_id, to_unit, title, body, area_code, now, priority,
                         domain, accept_due, finish_due, parent_task_id, request_id, ip)
    except Forbidden:
        audit(db, AuditActor(user.user_id, ip), "task.dispatch", f"{origin}:{origin_id}",
              {"to_unit": to_unit, "area": area_code}, "denied", clock=FixedClock(now))
        raise


def _dispatch(db, config, user, origin, origin_id, to_unit, title, body, area_code, now, priority, domain,
              accept_due, finish_due, parent_task_id, request_id, ip) -> Dispatched:
    priority = priority or config.tasks.default_priority
    if origin not in ORIGINS or (origin == "subtask") != (parent_task_id is not None):
        raise TaskError(N_("Unknown task origin {origin}."), origin=origin)
    if priority not in config.tasks.sla:
        raise TaskError(N_("Unknown priority {priority}."), priority=priority)
    if not (title or "").strip():
        raise TaskError(N_("A task needs a title."))
    unit = core_store.unit(db, to_unit)
    if unit is None:
        raise TaskError(N_("Unknown unit {unit}."), unit=to_unit)
    parent = None
    if parent_task_id is not None:
        parent = _check_redispatch(db, user, parent_task_id, unit)
        area_code = unit["area_code"]
    elif user.role not in DISPATCH_ROLES:
        raise Forbidden(N_("You may not dispatch tasks."))
    if core_store.area(db, area_code) is None:
        raise TaskError(N_("Unknown area {area}."), area=area_code)
    if not contains(user.area_code, area_code):
        raise Forbidden(N_("This area is outside your scope."))
    from_unit = user.unit_id or config.tasks.leader_dispatch_unit
    if from_unit is None:
        raise TaskError(N_("No dispatching unit is configured for users without a unit."))
    policy = SlaPolicy.from_config(config)
    default_accept, default_finish = policy.deadlines(priority, now)
    accept_due, finish_due = accept_due or default_accept, finish_due or default_finish
    if parent is not None:
        finish_due = min(finish_due, parent.finish_due)
        accept_due = min(accept_due, finish_due)
    if finish_due <= now or accept_due > finish_due:
        raise TaskError(N_("The deadlines must lie ahead, and signing for must come before finishing."))
    key = _origin_key(origin, origin_id, parent_task_id, to_unit, request_id, user.user_id)
    with db.transaction() as cur:
        if key is not None and (existing := store.task_id_by_origin_key(cur, key)) is not None:
            return Dispatched(store.load_task(cur, existing), False)
        local_day = now.astimezone(ZoneInfo(config.city.timezone)).strftime("%Y%m%d")
        task = Task(
            task_id=f"RW{local_day}-{store.next_task_number(cur):05d}", title=title.strip(), body=body or "",
            origin=origin, origin_id=origin_id, from_unit=from_unit, to_unit=to_unit, area_code=area_code,
            domain=domain, priority=priority, state="dispatched", progress=0, reported_progress=0,
            parent_task_id=parent_task_id, created_by=user.user_id, created_at=now, accept_due=accept_due,
            finish_due=finish_due, updated_at=now,
        )
        if not store.insert_task(cur, task, key):  # another process won the race
            return Dispatched(store.load_task(cur, store.task_id_by_origin_key(cur, key)), False)
        detail = {"to_unit": to_unit, "priority": priority, "accept_due": accept_due.isoformat(),
                  "finish_due": finish_due.isoformat(), "origin": origin, "origin_id": origin_id}
        store.insert_event(cur, Event(task.task_id, now, user.user_id, user.unit_id, "dispatch", None,
                                      "dispatched", 0, None, detail))
        if parent is not None:
            store.insert_event(cur, Event(parent.task_id, now, user.user_id, user.unit_id, "redispatch",
                                          parent.state, parent.state, None, title.strip(),
                                          {"subtask": task.task_id, "to_unit": to_unit}))
            roll_up(cur, parent.task_id)
        db.bump(cur, "tasks")
        audit(db, AuditActor(user.user_id, ip), "task.dispatch", f"task:{task.task_id}", detail,
              clock=FixedClock(now))
    return Dispatched(task, True)


def _check_redispatch(db: Database, user, parent_task_id: str, unit: dict) -> Task:
    """The parent task, after checking that `user` may hand a sub-task of it to `unit`."""
    parent = store.load_task(db.cursor(), parent_task_id)
    if parent is None:
        raise NotFound(N_("No such task."))
    if user.role not in REDISPATCH_ROLES or "assignee" not in relations(parent, actor_of(user)):
        raise Forbidden(N_("Only the center the task is assigned to may re-dispatch it."))
    if not parent.to_unit.startswith("center_"):
        raise Forbidden(N_("Only the center the task is assigned to may re-dispatch it."))
    if parent.state not in ("accepted", "in_progress"):
        raise TaskError(N_("Sign for the task before re-dispatching it."))
    if unit["kind"] != "street_center" or not contains(parent.area_code, unit["area_code"]) \
            or not contains(user.area_code, unit["area_code"]):
        raise Forbidden(N_("Sub-tasks go to the street centers inside the task's area."))
    return parent


def _origin_key(origin: str, origin_id: str | None, parent_task_id: str | None, to_unit: str,
                request_id: str | None, user_id: str) -> str | None:
    """What makes a task unique: its origin (a warning is dispatched once), or the form it was sent from.

    A form's request id is scoped to its sender, so a guessed or replayed id never returns someone else's task.
    """
    if parent_task_id is not None:
        return f"subtask:{parent_task_id}:{to_unit}"
    if origin in UNIQUE_ORIGINS and origin_id:
        return f"{origin}:{origin_id}"
    return f"request:{user_id}:{request_id}" if request_id else None
