"""Read-only queries for the task pages and the CLI, each scoped by the user who asks.

Scope: a handler sees the tasks of their unit; duty officers and center operators see their area subtree (and
what their unit sent or received); a leader sees their area and what they issued; admins and auditors see none.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from cockpit.core import store as core_store
from cockpit.core.db import Database
from cockpit.core.i18n import N_
from cockpit.core.scope import contains
from cockpit.tasks import store
from cockpit.tasks.errors import Forbidden, NotFound
from cockpit.tasks.model import OPEN_STATES, STATES, Task, actor_of
from cockpit.tasks.sla import overdue
from cockpit.tasks.transitions import REDISPATCH_ROLES, allowed_actions, rollup_progress

BOARD_STATES = ["dispatched", "accepted", "in_progress", "paused", "submitted", "declined", "closed"]


def task_row(task: Task, now: datetime) -> dict:
    """A task as a plain dict for tables and JSON, with `overdue` at `now`."""
    return {**asdict(task), "overdue": overdue(task, now)}


def board(db: Database, user, now: datetime, states: list[str] | None = None, unit: str | None = None,
          area: str | None = None, priority: str | None = None, origin: str | None = None) -> dict:
    """任务看板: {"columns": {state: [task rows, overdue first, then nearest deadline]}, "counts": {state:
    {"total", "overdue"}}} for the states asked (all board states by default), optionally of one priority or
    origin."""
    states = states or BOARD_STATES
    rows = [task_row(t, now) for t in store.tasks(db, user, states=states, unit=unit, area=area)
            if (priority is None or t.priority == priority) and (origin is None or t.origin == origin)]
    columns: dict[str, list[dict]] = {s: [] for s in states}
    for row in rows:
        columns[row["state"]].append(row)
    for items in columns.values():
        items.sort(key=lambda r: (not r["overdue"], _due(r), r["task_id"]))
    counts = {s: {"total": len(columns[s]), "overdue": sum(r["overdue"] for r in columns[s])} for s in states}
    return {"columns": columns, "counts": counts}


def my_tasks(db: Database, user, now: datetime, include_closed: bool = False) -> list[dict]:
    """我的任务: the tasks assigned to the user's unit, those needing action first, overdue first."""
    if not user.unit_id:
        return []
    states = list(STATES) if include_closed else list(OPEN_STATES)
    rows = [task_row(t, now) for t in store.tasks(db, user, states=states, unit=user.unit_id)]
    first = {"dispatched": 0, "accepted": 1, "in_progress": 1}
    return sorted(rows, key=lambda r: (first.get(r["state"], 2), not r["overdue"], _due(r), r["task_id"]))


def task_detail(db: Database, user, task_id: str, now: datetime) -> dict:
    """任务详情: the task, its timeline, attachments, sub-tasks, and the actions this user may take.

    Raises:
        NotFound: no such task.
        Forbidden: the task is outside the user's scope.
    """
    task = store.load_task(db.cursor(), task_id)
    if task is None:
        raise NotFound(N_("No such task."))
    if not store.visible(db, user, task_id):
        raise Forbidden(N_("You may not see this task."))
    children = store.child_tasks(db.cursor(), task_id)
    return {
        "task": task_row(task, now),
        "timeline": store.events(db, task_id),
        "attachments": [{k: v for k, v in a.items() if k != "stored_path"} for a in store.attachments(db, task_id)],
        "subtasks": [task_row(c, now) for c in children],
        "rolled_up_progress": rollup_progress(children),
        "actions": allowed_actions(task, actor_of(user)),
        "may_redispatch": may_redispatch(task, user),
    }


def may_redispatch(task: Task, user) -> bool:
    """Whether `user` may hand sub-tasks of `task` to street centers (the assigned center, once signed for)."""
    return (user.role in REDISPATCH_ROLES and bool(user.unit_id) and user.unit_id == task.to_unit
            and task.to_unit.startswith("center_") and task.state in ("accepted", "in_progress"))


def redispatch_targets(db: Database, area_code: str, user) -> list[dict]:
    """The street centers a sub-task of a task in `area_code` may go to (inside it and the user's scope)."""
    return [u for u in core_store.units(db, kind="street_center")
            if contains(area_code, u["area_code"]) and contains(user.area_code, u["area_code"])]


def task_for_origin(db: Database, origin: str, origin_id: str) -> str | None:
    """The id of the task made for an origin (a warning shows 已派单 with a link), or None."""
    return store.task_for_origin(db, origin, origin_id)


NOTIFY_ACTIONS = ["dispatch", "reassign", "return", "urge", "card", "approve_extension", "reject_request"]


def notifications_after(db: Database, after_event_id: int) -> list[dict]:
    """Events the assignee unit should be told about (new task, returned, urged, carded…), oldest first.

    The notifier (the alerts room's channels, wired by the composition root) remembers the last event id it sent;
    the timeline itself is the record that the notice was due.
    """
    return store.events_after(db, after_event_id, NOTIFY_ACTIONS)


def statistics(db: Database, user, since: datetime, until: datetime, now: datetime, by: str = "unit") -> list[dict]:
    """Task statistics for leaders by `unit`, `district` or `area`: dispatched, closed, on time, overdue, mean
    handling hours, cards, and — apart from 办结率 — 解决率 and 满意率 from follow-up calls.

    Rates are None when there is nothing to divide by (never a silent 0).
    """
    if by not in ("unit", "district", "area"):
        raise ValueError(f"unknown grouping {by!r}")
    rows = store.statistics(db, user, by, since, until, now)
    for r in rows:
        r["on_time_rate"] = r["on_time"] / r["closed"] if r["closed"] else None
        r["closed_rate"] = r["closed"] / r["dispatched"] if r["dispatched"] else None
        r["solved_rate"] = r["solved"] / r["followed_up"] if r["followed_up"] else None
        r["satisfied_rate"] = r["satisfied"] / r["followed_up"] if r["followed_up"] else None
    return rows


STAT_PERIODS = (7, 30, 90, 365)


def statistics_total(rows: list[dict]) -> dict:
    """The whole of `rows` from `statistics`: counts summed, mean hours weighted by closed tasks, rates again."""
    counts = ("dispatched", "closed", "on_time", "overdue", "yellow_cards", "red_cards", "followed_up", "solved",
              "satisfied")
    total = {c: sum(r[c] for r in rows) for c in counts}
    hours = [(r["mean_hours"], r["closed"]) for r in rows if r["mean_hours"] is not None and r["closed"]]
    weight = sum(n for _h, n in hours)
    total["mean_hours"] = sum(h * n for h, n in hours) / weight if weight else None
    total["on_time_rate"] = total["on_time"] / total["closed"] if total["closed"] else None
    total["closed_rate"] = total["closed"] / total["dispatched"] if total["dispatched"] else None
    total["solved_rate"] = total["solved"] / total["followed_up"] if total["followed_up"] else None
    total["satisfied_rate"] = total["satisfied"] / total["followed_up"] if total["followed_up"] else None
    return total


def _due(row: dict) -> datetime:
    return row["accept_due"] if row["state"] == "dispatched" else row["finish_due"]
