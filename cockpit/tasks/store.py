"""Named queries of the tasks room: the only SQL about tasks. Portable between DuckDB and PostgreSQL.

Area scope is enforced here: every list takes a `Viewer` and adds its scope to the WHERE clause.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import datetime

from cockpit.core.db import Cursor, Database
from cockpit.core.scope import scope_prefix
from cockpit.tasks.model import Event, Task

TASK_COLS = ", ".join(f.name for f in fields(Task))
_MUTABLE = [f.name for f in fields(Task) if f.name not in ("task_id", "created_by", "created_at", "origin",
                                                           "origin_id", "parent_task_id")]


@dataclass(frozen=True)
class Viewer:
    """Whose scope a list is drawn in: role, unit, area (a `User` or a task `Actor` fits)."""

    user_id: str | None
    role: str
    unit_id: str | None
    area_code: str


def _scope(viewer: Viewer | None) -> tuple[str, list]:
    """SQL condition (on alias t) and parameters for the tasks `viewer` may see; None sees everything (CLI)."""
    if viewer is None:
        return "1 = 1", []
    prefix = scope_prefix(viewer.area_code) + "%"
    if viewer.role == "handler":
        return "t.to_unit = ?", [viewer.unit_id or ""]
    if viewer.role in ("duty_officer", "center_operator"):
        unit = viewer.unit_id or ""
        return "(t.area_code like ? or t.to_unit = ? or t.from_unit = ?)", [prefix, unit, unit]
    if viewer.role == "leader":
        return "(t.area_code like ? or t.created_by = ?)", [prefix, viewer.user_id or ""]
    return "1 = 0", []


def _task(row: tuple) -> Task:
    return Task(*row)


# --- writes (inside the caller's transaction) ------------------------------------------------------------------

def next_task_number(cur: Cursor) -> int:
    """The next task sequence number."""
    return int(cur.execute("select nextval('task_seq')").fetchall()[0][0])


def task_id_by_origin_key(cur: Cursor, origin_key: str) -> str | None:
    """The task already made for this origin, if any."""
    rows = cur.execute("select task_id from tasks where origin_key = ?", [origin_key]).fetchall()
    return rows[0][0] if rows else None


def insert_task(cur: Cursor, task: Task, origin_key: str | None) -> bool:
    """Add a task; False (and nothing written) when a task for `origin_key` exists already."""
    names = [f.name for f in fields(Task)]
    cols = ", ".join([*names, "origin_key"])
    marks = ", ".join("?" for _ in range(len(names) + 1))
    cur.execute(f"insert into tasks ({cols}) values ({marks}) on conflict (origin_key) do nothing",
                [getattr(task, n) for n in names] + [origin_key])
    rows = cur.execute("select count(*) from tasks where task_id = ?", [task.task_id]).fetchall()
    return rows[0][0] == 1


def update_task(cur: Cursor, task: Task) -> None:
    """Write every changeable column of `task`."""
    sets = ", ".join(f"{c} = ?" for c in _MUTABLE)
    cur.execute(f"update tasks set {sets} where task_id = ?", [getattr(task, c) for c in _MUTABLE] + [task.task_id])


def insert_event(cur: Cursor, event: Event) -> int:
    """Append a timeline event; returns its id."""
    event_id = int(cur.execute("select nextval('task_event_seq')").fetchall()[0][0])
    cur.execute(
        """insert into task_events (event_id, task_id, occurred_at, actor_id, actor_unit, action, from_state,
           to_state, progress, note, detail) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [event_id, event.task_id, event.occurred_at, event.actor_id, event.actor_unit, event.action,
         event.from_state, event.to_state, event.progress, event.note,
         json.dumps(event.detail, ensure_ascii=False, sort_keys=True, default=str)],
    )
    return event_id


def insert_attachment(cur: Cursor, row: dict) -> None:
    """Record a stored attachment (keys: the task_attachments columns)."""
    cols = ", ".join(row)
    cur.execute(f"insert into task_attachments ({cols}) values ({', '.join('?' for _ in row)})", list(row.values()))


# --- reads -----------------------------------------------------------------------------------------------------

def load_task(cur: Cursor, task_id: str) -> Task | None:
    """One task by id (no scope: callers check permission)."""
    rows = cur.execute(f"select {TASK_COLS} from tasks where task_id = ?", [task_id]).fetchall()
    return _task(rows[0]) if rows else None


def child_tasks(cur: Cursor, parent_id: str) -> list[Task]:
    """The sub-tasks of a task, oldest first."""
    rows = cur.execute(f"select {TASK_COLS} from tasks where parent_task_id = ? order by created_at, task_id",
                       [parent_id]).fetchall()
    return [_task(r) for r in rows]


def visible(db: Database, viewer: Viewer, task_id: str) -> bool:
    """Whether `viewer` may see task `task_id`."""
    cond, params = _scope(viewer)
    rows = db.rows(f"select count(*) from tasks t where t.task_id = ? and {cond}", [task_id, *params])
    return rows[0][0] > 0


def tasks(db: Database, viewer: Viewer | None, states: list[str] | None = None, unit: str | None = None,
          area: str | None = None, limit: int = 1000) -> list[Task]:
    """Tasks in `viewer`'s scope, optionally of some states, one unit, inside one area; newest first."""
    cond, params = _scope(viewer)
    sql = f"select {TASK_COLS} from tasks t where {cond}"
    if states:
        sql += f" and t.state in ({', '.join('?' for _ in states)})"
        params += list(states)
    if unit:
        sql += " and t.to_unit = ?"
        params.append(unit)
    if area:
        sql += " and t.area_code like ?"
        params.append(scope_prefix(area) + "%")
    sql += f" order by t.created_at desc, t.task_id desc limit {int(limit)}"
    return [_task(r) for r in db.rows(sql, params)]


def tasks_in_states(db: Database, states: list[str]) -> list[Task]:
    """Every task in `states` (for the SLA clock)."""
    marks = ", ".join("?" for _ in states)
    return [_task(r) for r in db.rows(f"select {TASK_COLS} from tasks where state in ({marks})", list(states))]


def events(db: Database, task_id: str) -> list[dict]:
    """A task's timeline, oldest first, with actor names."""
    rows = db.rows(
        """select e.event_id, e.occurred_at, e.actor_id, u.display_name, e.actor_unit, e.action, e.from_state,
                  e.to_state, e.progress, e.note, e.detail
           from task_events e left join users u on u.user_id = e.actor_id
           where e.task_id = ? order by e.event_id""", [task_id])
    keys = ("event_id", "occurred_at", "actor_id", "actor_name", "actor_unit", "action", "from_state", "to_state",
            "progress", "note", "detail")
    return [{**dict(zip(keys, r, strict=True)), "detail": json.loads(r[10] or "{}")} for r in rows]


def events_after(db: Database, after_event_id: int, actions: list[str], limit: int = 500) -> list[dict]:
    """Timeline events newer than `after_event_id` of some kinds, with the task's assignee unit, title, priority,
    area and domain (so that notification routes can match on area and domain)."""
    marks = ", ".join("?" for _ in actions)
    rows = db.rows(
        f"""select e.event_id, e.task_id, e.occurred_at, e.action, e.actor_id, e.note, e.detail, t.to_unit, t.title,
                   t.priority, t.area_code, t.domain
            from task_events e join tasks t on t.task_id = e.task_id
            where e.event_id > ? and e.action in ({marks}) order by e.event_id limit {int(limit)}""",
        [after_event_id, *actions])
    keys = ("event_id", "task_id", "occurred_at", "action", "actor_id", "note", "detail", "to_unit", "title",
            "priority", "area_code", "domain")
    return [{**dict(zip(keys, r, strict=True)), "detail": json.loads(r[6] or "{}")} for r in rows]


ATTACHMENT_COLS = ("attachment_id, task_id, event_id, filename, content_type, size_bytes, sha256, stored_path, "
                   "uploaded_by, uploaded_at")


def attachments(db: Database, task_id: str) -> list[dict]:
    """A task's attachments, oldest first."""
    rows = db.rows(f"select {ATTACHMENT_COLS} from task_attachments where task_id = ? order by uploaded_at, "
                   "event_id, filename, attachment_id", [task_id])
    return [dict(zip(ATTACHMENT_COLS.split(", "), r, strict=True)) for r in rows]


def attachment(db: Database, attachment_id: str) -> dict | None:
    """One attachment by id."""
    rows = db.rows(f"select {ATTACHMENT_COLS} from task_attachments where attachment_id = ?", [attachment_id])
    return dict(zip(ATTACHMENT_COLS.split(", "), rows[0], strict=True)) if rows else None


def task_for_origin(db: Database, origin: str, origin_id: str) -> str | None:
    """The task made for an origin (e.g. a warning) — how a warning card shows 已派单."""
    rows = db.rows("select task_id from tasks where origin = ? and origin_id = ? order by created_at limit 1",
                   [origin, origin_id])
    return rows[0][0] if rows else None


def state_counts(db: Database, viewer: Viewer, now: datetime) -> dict[str, tuple[int, int]]:
    """{state: (count, overdue count)} in `viewer`'s scope."""
    cond, params = _scope(viewer)
    rows = db.rows(
        f"""select t.state, count(*),
                   count(*) filter (where (t.state = 'dispatched' and t.accept_due < ?)
                       or (t.state in ('accepted', 'in_progress', 'declined') and t.finish_due < ?)
                       or (t.state = 'paused' and t.paused_at > t.finish_due))
            from tasks t where {cond} group by t.state""", [now, now, *params])
    return {r[0]: (int(r[1]), int(r[2])) for r in rows}


_STAT_KEYS = {
    "unit": ("t.to_unit", "left join units g on g.unit_id = t.to_unit", "coalesce(g.short, g.name, t.to_unit)"),
    "district": ("substr(t.area_code, 1, 6)", "left join areas g on g.code = substr(t.area_code, 1, 6)",
                 "coalesce(g.name, substr(t.area_code, 1, 6))"),
    "area": ("t.area_code", "left join areas g on g.code = t.area_code", "coalesce(g.name, t.area_code)"),
}


def statistics(db: Database, viewer: Viewer | None, by: str, since: datetime, until: datetime,
               now: datetime) -> list[dict]:
    """Per unit / district / area: dispatched, closed, closed on time, overdue, mean handling hours, cards,
    follow-ups, solved and satisfied — for tasks dispatched in [since, until). Sub-tasks count on their own."""
    key, join, name = _STAT_KEYS[by]
    cond, params = _scope(viewer)
    rows = db.rows(
        f"""select {key} as k, {name} as n, count(*) as dispatched,
                   count(*) filter (where t.state = 'closed') as closed,
                   count(*) filter (where t.state = 'closed' and t.closed_at <= t.finish_due) as on_time,
                   count(*) filter (where (t.state = 'closed' and t.closed_at > t.finish_due)
                       or (t.state = 'submitted' and t.submitted_at > t.finish_due)
                       or (t.state in ('dispatched', 'accepted', 'in_progress', 'declined') and t.finish_due < ?))
                       as overdue,
                   avg(extract(epoch from (t.closed_at - t.created_at))) filter (where t.state = 'closed')
                       / 3600.0 as mean_hours,
                   sum(t.yellow_cards) as yellow_cards, sum(t.red_cards) as red_cards,
                   count(*) filter (where t.followed_up_at is not null) as followed_up,
                   count(*) filter (where t.solved) as solved,
                   count(*) filter (where t.satisfied) as satisfied
            from tasks t {join}
            where t.created_at >= ? and t.created_at < ? and t.state <> 'cancelled' and {cond}
            group by {key}, {name} order by {key}""",
        [now, since, until, *params])
    cols = ("key", "name", "dispatched", "closed", "on_time", "overdue", "mean_hours", "yellow_cards", "red_cards",
            "followed_up", "solved", "satisfied")
    out = []
    for r in rows:
        d = dict(zip(cols, r, strict=True))
        d["mean_hours"] = None if d["mean_hours"] is None else float(d["mean_hours"])
        for c in cols[2:]:
            if c != "mean_hours":
                d[c] = int(d[c] or 0)
        out.append(d)
    return out
