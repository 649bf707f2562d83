"""SQL of the reports room: time-sliced counts over tasks, cards, source runs and form submissions, and the
briefing archive.

Every count is fixed by the period's [start, end) alone — never by the current state or the current time — so
that regenerating a past period gives the same numbers: a task counts as closed if it was closed before the end,
overdue if its deadline had passed at the end while it was still open.
"""

from __future__ import annotations

from datetime import datetime

from cockpit.core.db import Cursor, Database

GROUP_KEYS = {"district": "substr(t.area_code, 1, 6)", "unit": "t.to_unit", "all": "'all'"}


def task_groups(db: Database, by: str, prefix: str, start: datetime, end: datetime) -> list[dict]:
    """Per district, unit or `all` (tasks whose area code starts with `prefix`):

    dispatched — created in [start, end); closed — closed in [start, end); on_time — of those, closed by the
    deadline; overdue — open at `end` with the deadline passed; warning_tasks — created from a warning in the
    period and accepted before `end`, with their total seconds from dispatch to acceptance (签收).
    """
    key = GROUP_KEYS[by]
    rows = db.rows(
        f"""select {key} as k,
               count(*) filter (where t.created_at >= ? and t.created_at < ?) as dispatched,
               count(*) filter (where t.closed_at >= ? and t.closed_at < ?) as closed,
               count(*) filter (where t.closed_at >= ? and t.closed_at < ? and t.closed_at <= t.finish_due) as on_time,
               count(*) filter (where t.created_at < ? and t.finish_due < ?
                                and (t.closed_at is null or t.closed_at >= ?)) as overdue,
               count(*) filter (where t.origin = 'warning' and t.created_at >= ? and t.created_at < ?
                                and t.accepted_at is not null and t.accepted_at < ?) as warning_tasks,
               sum(extract(epoch from (t.accepted_at - t.created_at))) filter (
                   where t.origin = 'warning' and t.created_at >= ? and t.created_at < ?
                   and t.accepted_at is not null and t.accepted_at < ?) as response_seconds
            from tasks t
            where t.area_code like ? and t.state <> 'cancelled' and t.created_at < ?
            group by 1 order by 1""",
        [start, end, start, end, start, end, end, end, end, start, end, end, start, end, end, prefix + "%", end])
    cols = ("key", "dispatched", "closed", "on_time", "overdue", "warning_tasks", "response_seconds")
    return [{c: (float(v or 0) if c == "response_seconds" else (v if c == "key" else int(v or 0)))
             for c, v in zip(cols, r, strict=True)} for r in rows]


def cards_by_unit(db: Database, prefix: str, start: datetime, end: datetime) -> list[dict]:
    """Yellow and red cards issued in [start, end) to tasks in the area, per assignee unit, most red first."""
    rows = db.rows(
        """select t.to_unit,
                  count(*) filter (where cast(e.detail as json) ->> 'card' = 'yellow') as yellow,
                  count(*) filter (where cast(e.detail as json) ->> 'card' = 'red') as red
           from task_events e join tasks t on t.task_id = e.task_id
           where e.action = 'card' and e.occurred_at >= ? and e.occurred_at < ? and t.area_code like ?
           group by t.to_unit order by red desc, yellow desc, t.to_unit""",
        [start, end, prefix + "%"])
    return [{"unit_id": r[0], "yellow": int(r[1]), "red": int(r[2])} for r in rows]


def source_runs(db: Database, start: datetime, end: datetime) -> list[dict]:
    """Runs that ended (or, still running or hung, started) in [start, end), plus each source's last successful
    finish before `start`."""
    rows = db.rows(
        """select source_id, status, coalesce(finished_at, started_at) as ended_at, error_kind from source_runs
           where coalesce(finished_at, started_at) >= ? and coalesce(finished_at, started_at) < ?
           order by source_id, ended_at""", [start, end])
    before = db.rows(
        """select source_id, max(finished_at) from source_runs where status = 'ok' and finished_at < ?
           group by source_id""", [start])
    last = {r[0]: r[1] for r in before}
    return [{"source_id": r[0], "status": r[1], "finished_at": r[2], "error_kind": r[3],
             "last_before": last.get(r[0])} for r in rows] + [
        {"source_id": s, "status": None, "finished_at": None, "error_kind": None, "last_before": t}
        for s, t in last.items()]


def form_reports(db: Database, source_id: str, prefix: str, start: datetime, end: datetime) -> dict[str, int]:
    """Per district: form periods in [start, end) reported by a street, counted if submitted before `end`."""
    rows = db.rows(
        """select substr(street_code, 1, 6), count(*) from form_submissions
           where source_id = ? and street_code like ? and period_start >= ? and period_start < ?
             and submitted_at < ?
           group by substr(street_code, 1, 6)""", [source_id, prefix + "%", start, end, end])
    return {r[0]: int(r[1]) for r in rows}


def table_exists(db: Database, name: str) -> bool:
    """Whether another room's table exists yet (a room whose migration is not registered is skipped)."""
    return bool(db.one("select count(*) from information_schema.tables where table_name = ?", [name])[0])


# ---- the archive ----------------------------------------------------------------------------------------------

ARCHIVE_COLS = ("briefing_id", "kind", "area_code", "period_start", "period_end", "issue_no", "public",
                "generated_at", "generated_by", "numbers_sha256", "folder")


def save_briefing(cur: Cursor, row: dict) -> None:
    """Insert or replace the archive entry of one (kind, area, period) (regenerating replaces the files)."""
    cur.execute("delete from briefings where briefing_id = ?", [row["briefing_id"]])
    cur.execute(f"insert into briefings ({', '.join(ARCHIVE_COLS)}) values ({', '.join('?' for _ in ARCHIVE_COLS)})",
                [row[c] for c in ARCHIVE_COLS])


def briefings(db: Database, prefixes: list[str], city_code: str | None, limit: int = 500) -> list[dict]:
    """Archive entries whose area starts with one of `prefixes`, plus public ones of `city_code`; newest first."""
    conds = " or ".join("area_code like ?" for _ in prefixes) or "1 = 0"
    rows = db.rows(
        f"""select {', '.join(ARCHIVE_COLS)} from briefings
            where ({conds}) or (public and area_code = ?)
            order by period_start desc, kind, area_code limit ?""",
        [*(p + "%" for p in prefixes), city_code or "", limit])
    return [dict(zip(ARCHIVE_COLS, r, strict=True)) for r in rows]


def briefing(db: Database, briefing_id: str) -> dict | None:
    """One archive entry."""
    row = db.one(f"select {', '.join(ARCHIVE_COLS)} from briefings where briefing_id = ?", [briefing_id])
    return dict(zip(ARCHIVE_COLS, row, strict=True)) if row else None


def add_event(cur: Cursor, briefing_id: str, at: datetime) -> None:
    """Record that a briefing was (re)generated, for the notification feed."""
    cur.execute("insert into briefing_events (event_id, briefing_id, occurred_at) "
                "values (nextval('briefing_event_seq'), ?, ?)", [briefing_id, at])


def events_after(db: Database, after_event_id: int) -> list[dict]:
    """Generation events after `after_event_id` with their archive entries, oldest first."""
    cols = ", ".join(f"b.{c}" for c in ARCHIVE_COLS)
    rows = db.rows(f"""select e.event_id, e.occurred_at, {cols} from briefing_events e
                       join briefings b on b.briefing_id = e.briefing_id
                       where e.event_id > ? order by e.event_id""", [after_event_id])
    return [{"event_id": r[0], "occurred_at": r[1], **dict(zip(ARCHIVE_COLS, r[2:], strict=True))} for r in rows]
