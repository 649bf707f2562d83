"""Named queries of the alerts room: the only SQL about warnings, events, silences, plans and handovers."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import datetime

import polars as pl

from alerts.model import Event, Instance
from cockpit.core.db import Cursor, Database
from cockpit.core.scope import scope_prefix

_W_COLS = ("warning_id, rule_id, kind, indicator_id, source_id, area_code, domain, level, state, reason, reason_args,"
           " detail, value, threshold, started_at, fired_at, last_eval_at, acknowledged_at, acknowledged_by,"
           " ack_comment, resolved_at, tier, tier_since, task_id, timers, clear_since")
_W_NAMES = [c.strip() for c in _W_COLS.split(",")]


def _instance(row: tuple) -> Instance:
    data = dict(zip(_W_NAMES, row, strict=True))
    data["reason_args"] = json.loads(data["reason_args"] or "{}")
    data["timers"] = {k: datetime.fromisoformat(v) for k, v in json.loads(data["timers"] or "{}").items()}
    return Instance(**data)


def open_instances(db: Database, cur: Cursor | None = None) -> dict[tuple[str, str], Instance]:
    """Every open warning (pending, firing, acknowledged) by rule × area."""
    rows = (cur or db.cursor()).execute(
        f"select {_W_COLS} from warnings where open order by started_at").fetchall()
    return {(r[1], r[5]): _instance(r) for r in rows}


def instance(db: Database, warning_id: str, cur: Cursor | None = None) -> Instance | None:
    """One warning by id."""
    rows = (cur or db.cursor()).execute(f"select {_W_COLS} from warnings where warning_id = ?",
                                        [warning_id]).fetchall()
    return _instance(rows[0]) if rows else None


def new_warning_id(cur: Cursor) -> str:
    """The next warning id (YJ000001)."""
    return f"YJ{cur.execute('select nextval(?)', ['warning_seq']).fetchall()[0][0]:06d}"


def save(cur: Cursor, inst: Instance, events: list[Event], now: datetime, silenced: bool = False) -> Instance:
    """Insert or update the warning and append its events, inside the caller's transaction."""
    if inst.warning_id is None:
        from dataclasses import replace

        inst = replace(inst, warning_id=new_warning_id(cur))
        cur.execute(f"insert into warnings ({_W_COLS}, open) values ({', '.join('?' * len(_W_NAMES))}, ?)",
                    [*_values(inst), inst.open])
    else:
        sets = ", ".join(f"{c} = ?" for c in _W_NAMES[1:])
        cur.execute(f"update warnings set {sets}, open = ? where warning_id = ?",
                    [*_values(inst)[1:], inst.open, inst.warning_id])
    for ev in events:
        insert_event(cur, inst, ev, now, silenced)
    return inst


def _values(inst: Instance) -> list:
    data = {f.name: getattr(inst, f.name) for f in fields(inst)}
    data["reason_args"] = json.dumps(inst.reason_args, ensure_ascii=False)
    data["timers"] = json.dumps({k: v.isoformat() for k, v in inst.timers.items()})
    return [data[c] for c in _W_NAMES]


def insert_event(cur: Cursor, inst: Instance | None, ev: Event, now: datetime, silenced: bool = False,
                 rule_id: str | None = None, area_code: str | None = None) -> int:
    """Append one `warning_events` row; returns its event id."""
    event_id = cur.execute("select nextval('warning_event_seq')").fetchall()[0][0]
    cur.execute(
        """insert into warning_events (event_id, warning_id, rule_id, indicator_id, area_code, domain, occurred_at,
           recorded_at, kind, from_state, to_state, level, prev_level, value, threshold, reason, reason_args,
           detail, actor, comment, tier, silenced) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
           ?, ?, ?)""",
        [event_id, inst.warning_id if inst else None, inst.rule_id if inst else rule_id,
         inst.indicator_id if inst else None, inst.area_code if inst else area_code, inst.domain if inst else None,
         ev.at, now, ev.kind, ev.from_state, ev.to_state, ev.level, ev.prev_level,
         inst.value if inst else None, inst.threshold if inst else None, ev.reason,
         json.dumps(ev.args, ensure_ascii=False), inst.detail if inst else None, ev.actor, ev.comment,
         ev.tier or (inst.tier if inst else None), silenced])
    return event_id


_E_COLS = ("event_id, warning_id, rule_id, indicator_id, area_code, domain, occurred_at, recorded_at, kind, from_state,"
           " to_state, level, prev_level, value, threshold, reason, reason_args, detail, actor, comment, tier,"
           " silenced")


@dataclass(frozen=True)
class WarningEvent:
    """One `warning_events` row (see alerts/README.md)."""

    event_id: int
    warning_id: str | None
    rule_id: str
    indicator_id: str | None
    area_code: str
    domain: str | None
    at: datetime
    recorded_at: datetime
    kind: str
    from_state: str | None
    to_state: str | None
    level: str | None
    prev_level: str | None
    value: float | None
    threshold: float | None
    reason: str
    reason_args: str
    detail: str | None
    actor: str
    comment: str | None
    tier: str | None
    silenced: bool


def events_after(db: Database, after_event_id: int, limit: int = 500) -> list[WarningEvent]:
    """Events with an id above `after_event_id`, oldest first."""
    rows = db.rows(f"select {_E_COLS} from warning_events where event_id > ? order by event_id limit ?",
                   [after_event_id, limit])
    return [WarningEvent(*r) for r in rows]


def events_of(db: Database, warning_id: str) -> list[WarningEvent]:
    """The timeline of one warning, oldest first."""
    rows = db.rows(f"select {_E_COLS} from warning_events where warning_id = ? order by occurred_at, event_id",
                   [warning_id])
    return [WarningEvent(*r) for r in rows]


def warnings_frame(db: Database, scope: str, states: list[str] | None, resolved_since: datetime | None,
                   level: str | None = None, domain: str | None = None, area: str | None = None) -> pl.DataFrame:
    """Warnings in `scope` (an area code: its subtree): open ones, plus resolved after `resolved_since`."""
    where, params = ["area_code like ?"], [scope_prefix(scope) + "%"]
    if area:
        where.append("area_code like ?")
        params.append(scope_prefix(area) + "%")
    if states:
        where.append(f"state in ({', '.join('?' * len(states))})")
        params.extend(states)
    else:
        where.append("(open or (state = 'resolved' and resolved_at >= ?))")
        params.append(resolved_since)
    if level:
        where.append("level = ?")
        params.append(level)
    if domain:
        where.append("domain = ?")
        params.append(domain)
    return db.query(f"select {_W_COLS} from warnings where {' and '.join(where)}", params)


def level_counts(db: Database, scope: str) -> dict[str, int]:
    """Open firing/acknowledged warnings in `scope` by level."""
    rows = db.rows("select level, count(*) from warnings where state in ('firing', 'acknowledged') "
                   "and area_code like ? group by level", [scope_prefix(scope) + "%"])
    return {lv: n for lv, n in rows}


def rule_state(db: Database, rule_id: str, cur: Cursor | None = None) -> tuple | None:
    """(state, reason, since, open_count) of a rule, None when it never went into error."""
    rows = (cur or db.cursor()).execute(
        "select state, reason, since, open_count from alert_rule_state where rule_id = ?", [rule_id]).fetchall()
    return rows[0] if rows else None


def set_rule_state(cur: Cursor, rule_id: str, state: str, reason: str, since: datetime, open_count: int) -> None:
    """Record a rule's state (ok | error)."""
    cur.execute("delete from alert_rule_state where rule_id = ?", [rule_id])
    cur.execute("insert into alert_rule_state values (?, ?, ?, ?, ?)", [rule_id, state, reason, since, open_count])


def rules_in_error(db: Database) -> list[tuple]:
    """(rule_id, reason, since, open_count) of every rule in error."""
    return db.rows("select rule_id, reason, since, open_count from alert_rule_state where state = 'error' "
                   "order by rule_id")


def set_task(cur: Cursor, warning_id: str, task_id: str) -> None:
    """Link the task dispatched for a warning."""
    cur.execute("update warnings set task_id = ? where warning_id = ?", [task_id, warning_id])


def noise_frame(db: Database, scope: str, since: datetime) -> pl.DataFrame:
    """Per rule: times fired, level changes, mean minutes to acknowledge and to resolve, since `since`."""
    return db.query(
        """select w.rule_id,
                  count(*) filter (where e.kind = 'firing') as fired,
                  count(*) filter (where e.kind in ('level_up', 'level_down')) as level_changes,
                  count(*) filter (where e.kind = 'cancelled') as cancelled,
                  count(*) filter (where e.kind = 'firing')
                      - count(distinct w.area_code) filter (where e.kind = 'firing') as refired,
                  avg(extract(epoch from w.acknowledged_at) - extract(epoch from w.fired_at)) filter (where e.kind = 'firing'
                      and w.acknowledged_at is not null) / 60 as ack_minutes,
                  avg(extract(epoch from w.resolved_at) - extract(epoch from w.fired_at)) filter (where e.kind = 'firing'
                      and w.resolved_at is not null) / 60 as resolve_minutes
           from warning_events e join warnings w on w.warning_id = e.warning_id
           where e.occurred_at >= ? and w.area_code like ?
           group by w.rule_id order by fired desc, w.rule_id""",
        [since, scope_prefix(scope) + "%"])


@dataclass(frozen=True)
class Silence:
    """A silence: who, why, until when, and what it matches (any of source, indicator, area)."""

    silence_id: str
    created_by: str
    created_at: datetime
    reason: str
    ends_at: datetime
    source_id: str | None
    indicator_id: str | None
    area_code: str | None
    suppressed: int
    cancelled_at: datetime | None


_S_COLS = ("silence_id, created_by, created_at, reason, ends_at, source_id, indicator_id, area_code, suppressed,"
           " cancelled_at")


def insert_silence(cur: Cursor, s: Silence) -> None:
    """Store a new silence."""
    cur.execute(f"insert into silences ({_S_COLS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [s.silence_id, s.created_by, s.created_at, s.reason, s.ends_at, s.source_id, s.indicator_id,
                 s.area_code, s.suppressed, s.cancelled_at])


def silences(db: Database, active_at: datetime | None = None, cur: Cursor | None = None) -> list[Silence]:
    """Every silence (newest first), or those active at `active_at`."""
    sql = f"select {_S_COLS} from silences"
    params: list = []
    if active_at is not None:
        sql += " where cancelled_at is null and created_at <= ? and ends_at > ?"
        params = [active_at, active_at]
    rows = (cur or db.cursor()).execute(sql + " order by created_at desc, silence_id", params).fetchall()
    return [Silence(*r) for r in rows]


def count_suppressed(cur: Cursor, silence_ids: list[str]) -> None:
    """Add one suppressed notification to each silence."""
    for sid in silence_ids:
        cur.execute("update silences set suppressed = suppressed + 1 where silence_id = ?", [sid])


def cancel_silence(cur: Cursor, silence_id: str, user_id: str, now: datetime) -> None:
    """End a silence early."""
    cur.execute("update silences set cancelled_at = ?, cancelled_by = ? where silence_id = ?",
                [now, user_id, silence_id])


def next_silence_number(cur: Cursor) -> int:
    """How many silences exist, plus one."""
    return cur.execute("select count(*) + 1 from silences").fetchall()[0][0]


def insert_level_change(cur: Cursor, indicator_id: str, level: str, name: str, value, old, user_id: str,
                        now: datetime) -> None:
    """Record one applied level change with its old value."""
    cur.execute("insert into rule_level_changes values (?, ?, ?, ?, ?, ?, ?)",
                [indicator_id, level, name, None if value is None else str(value),
                 None if old is None else str(old), user_id, now])


def level_changes(db: Database) -> list[tuple]:
    """(indicator_id, level, field, value) of every applied change, oldest first."""
    return db.rows("select indicator_id, level, field, value from rule_level_changes order by changed_at")


def level_change_history(db: Database, indicator_id: str | None = None) -> list[tuple]:
    """(indicator_id, level, field, value, old_value, changed_by, changed_at), newest first."""
    sql = "select indicator_id, level, field, value, old_value, changed_by, changed_at from rule_level_changes"
    params: list = []
    if indicator_id:
        sql += " where indicator_id = ?"
        params.append(indicator_id)
    return db.rows(sql + " order by changed_at desc", params)


_A_COLS = "activation_id, plan_id, warning_id, area_code, level, state, started_at, started_by, ended_at, ended_by"


def activation_for(cur: Cursor, plan_id: str, warning_id: str) -> tuple | None:
    """(activation_id, level, state) of the plan's activation for a warning."""
    rows = cur.execute("select activation_id, level, state from plan_activations where plan_id = ? "
                       "and warning_id = ?", [plan_id, warning_id]).fetchall()
    return rows[0] if rows else None


def next_activation_number(cur: Cursor) -> int:
    """How many activations exist, plus one."""
    return cur.execute("select count(*) + 1 from plan_activations").fetchall()[0][0]


def insert_activation(cur: Cursor, aid: str, plan_id: str, warning_id: str | None, area_code: str,
                      level: str | None, state: str, now: datetime) -> None:
    """Store a plan activation."""
    cur.execute(f"insert into plan_activations ({_A_COLS}) values (?, ?, ?, ?, ?, ?, ?, ?, null, null)",
                [aid, plan_id, warning_id, area_code, level, state, now, "system"])


def plan_event(cur: Cursor, aid: str, at: datetime, kind: str, actor: str, level: str | None,
               note: str | None) -> None:
    """Append to an activation's record (propose, start 启动, escalate 升级, end 解除)."""
    cur.execute("insert into plan_activation_events values (?, ?, ?, ?, ?, ?)", [aid, at, kind, actor, level, note])


def set_activation(cur: Cursor, aid: str, state: str | None = None, level: str | None = None,
                   ended: tuple | None = None) -> None:
    """Update an activation's state, level or end."""
    if state is not None:
        cur.execute("update plan_activations set state = ? where activation_id = ?", [state, aid])
    if level is not None:
        cur.execute("update plan_activations set level = ? where activation_id = ?", [level, aid])
    if ended is not None:
        cur.execute("update plan_activations set ended_at = ?, ended_by = ? where activation_id = ?",
                    [*ended, aid])


def activation(db: Database, aid: str) -> tuple | None:
    """One activation row (columns of plan_activations)."""
    rows = db.rows(f"select {_A_COLS} from plan_activations where activation_id = ?", [aid])
    return rows[0] if rows else None


def activations(db: Database, scope: str, warning_id: str | None = None) -> list[tuple]:
    """Activations in `scope` (newest first), optionally of one warning."""
    sql = f"select {_A_COLS} from plan_activations where area_code like ?"
    params: list = [scope_prefix(scope) + "%"]
    if warning_id:
        sql += " and warning_id = ?"
        params.append(warning_id)
    return db.rows(sql + " order by started_at desc, activation_id desc", params)


def plan_events(db: Database, aid: str) -> list[tuple]:
    """(at, kind, actor, level, note) of an activation, oldest first."""
    return db.rows("select occurred_at, kind, actor, level, note from plan_activation_events where activation_id = ? "
                   "order by occurred_at", [aid])


def insert_proposal(cur: Cursor, aid: str, seq: int, unit_id: str, title: str, body: str, priority: str | None,
                    finish_due: datetime) -> None:
    """Store one pre-filled task of an activation."""
    cur.execute("insert into plan_proposals values (?, ?, ?, ?, ?, ?, ?, null, null, null)",
                [aid, seq, unit_id, title, body, priority, finish_due])


def proposals(db: Database, aid: str) -> list[tuple]:
    """Proposal rows of an activation, in order."""
    return db.rows("select activation_id, seq, unit_id, title, body, priority, finish_due, task_id, dispatched_by,"
                   " dispatched_at from plan_proposals where activation_id = ? order by seq", [aid])


def set_proposal_task(cur: Cursor, aid: str, seq: int, task_id: str, user_id: str, now: datetime) -> None:
    """Record the task dispatched for a proposal."""
    cur.execute("update plan_proposals set task_id = ?, dispatched_by = ?, dispatched_at = ? "
                "where activation_id = ? and seq = ?", [task_id, user_id, now, aid, seq])


def next_handover_number(cur: Cursor) -> int:
    """How many handovers exist, plus one."""
    return cur.execute("select count(*) + 1 from handovers").fetchall()[0][0]


def insert_handover(cur: Cursor, hid: str, area_code: str, user_id: str, now: datetime, notes: str,
                    warnings_json: str, tasks_json: str) -> None:
    """Store a shift handover."""
    cur.execute("insert into handovers values (?, ?, ?, ?, ?, ?, ?, null, null)",
                [hid, area_code, user_id, now, notes, warnings_json, tasks_json])


def handover(db: Database, hid: str) -> tuple | None:
    """One handover row."""
    rows = db.rows("select * from handovers where handover_id = ?", [hid])
    return rows[0] if rows else None


def handovers(db: Database, scope: str, limit: int) -> list[tuple]:
    """Handover rows of areas in `scope`, newest first."""
    return db.rows("select * from handovers where area_code like ? order by written_at desc, handover_id desc "
                   "limit ?", [scope_prefix(scope) + "%", limit])


def ack_handover(cur: Cursor, hid: str, user_id: str, now: datetime) -> None:
    """Record who took over the shift."""
    cur.execute("update handovers set acknowledged_by = ?, acknowledged_at = ? where handover_id = ?",
                [user_id, now, hid])


def period_levels(db: Database, scope: str, start: datetime, end: datetime) -> list[tuple]:
    """(level, raised, resolved, open_at_end) of warnings in `scope`: raised (fired) in [start, end), resolved in
    it, and fired before `end` but not resolved by then. Fixed by the period alone, never by the current state."""
    return db.rows(
        """select level,
                  count(*) filter (where fired_at >= ? and fired_at < ?),
                  count(*) filter (where resolved_at >= ? and resolved_at < ?),
                  count(*) filter (where fired_at < ? and (resolved_at is null or resolved_at >= ?))
           from warnings where area_code like ? and fired_at is not null and fired_at < ?
           group by level""",
        [start, end, start, end, end, end, scope_prefix(scope) + "%", end])


def period_domains(db: Database, scope: str, start: datetime, end: datetime) -> list[tuple]:
    """(domain, raised, acknowledged, seconds from firing to acknowledgement summed) of warnings raised in
    [start, end) in `scope`, counting acknowledgements made before `end`; most raised first."""
    return db.rows(
        """select coalesce(domain, ''), count(*),
                  count(*) filter (where acknowledged_at is not null and acknowledged_at < ?),
                  sum(extract(epoch from (acknowledged_at - fired_at))) filter (
                      where acknowledged_at is not null and acknowledged_at < ?)
           from warnings where area_code like ? and fired_at >= ? and fired_at < ?
           group by 1 order by 2 desc, 1""",
        [end, end, scope_prefix(scope) + "%", start, end])


def period_plans(db: Database, scope: str, start: datetime, end: datetime) -> list[tuple]:
    """(plan_id, activations started in [start, end), of them ended before `end`) in `scope`."""
    return db.rows(
        """select plan_id, count(*), count(*) filter (where ended_at is not null and ended_at < ?)
           from plan_activations where area_code like ? and started_at >= ? and started_at < ?
           group by plan_id order by 2 desc, plan_id""",
        [end, scope_prefix(scope) + "%", start, end])
