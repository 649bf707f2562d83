"""SQL of the notification stages: notifications, feed cursors, open warnings per receiver, warning events read."""

from __future__ import annotations

import json
from datetime import datetime

from cockpit.core.db import Cursor, Database

NOTIFICATION_COLS = ("notification_id", "created_at", "kind", "reason", "receiver", "channel", "group_key",
                     "area_code", "domain", "level", "unit_id", "title", "summary", "items", "item_count", "status",
                     "due_at", "attempts", "last_attempt_at", "sent_at", "result")

WARNING_EVENT_COLS = ("event_id", "warning_id", "rule_id", "indicator_id", "area_code", "domain", "occurred_at", "kind",
                      "from_state", "to_state", "level", "prev_level", "value", "threshold", "reason", "reason_args",
                      "tier", "silenced")


def warning_events_after(db: Database, after_id: int, limit: int = 500) -> list[dict]:
    """Rows of the alerts room's append-only `warning_events` newer than `after_id`, oldest first.

    Returns nothing while the lifecycle's tables are not installed (a deployment without its migrations).
    """
    if db.one("select 1 from information_schema.tables where table_name = 'warning_events'") is None:
        return []
    rows = db.rows(f"select {', '.join(WARNING_EVENT_COLS)} from warning_events where event_id > ? "
                   f"order by event_id limit {int(limit)}", [after_id])
    return [dict(zip(WARNING_EVENT_COLS, r, strict=True)) for r in rows]


def cursor(db: Database, feed: str) -> int:
    """The last event id of `feed` already turned into notifications (0 at first)."""
    row = db.one("select last_id from notification_cursors where feed = ?", [feed])
    return int(row[0]) if row else 0


def set_cursor(cur: Cursor, feed: str, last_id: int, now: datetime) -> None:
    """Remember the read position of `feed` (inside the transaction that stored its notifications)."""
    cur.execute("""insert into notification_cursors (feed, last_id, updated_at) values (?, ?, ?)
                   on conflict (feed) do update set last_id = excluded.last_id, updated_at = excluded.updated_at""",
                [feed, last_id, now])


def insert_notifications(cur: Cursor, rows: list[dict]) -> None:
    """Store new notifications in one statement."""
    if not rows:
        return
    ids = [r[0] for r in cur.execute("select nextval('notification_seq') from range(?)", [len(rows)]).fetchall()]
    cols = [c for c in NOTIFICATION_COLS if c in rows[0] or c == "notification_id"]
    marks = "(" + ", ".join("?" for _ in cols) + ")"
    params = [v for nid, row in zip(ids, rows, strict=True) for v in ({**row, "notification_id": nid}[c] for c in cols)]
    cur.execute(f"insert into notifications ({', '.join(cols)}) values {', '.join(marks for _ in rows)}", params)


def collecting_groups(cur: Cursor, group_keys: list[str]) -> dict[str, dict]:
    """The pending, never-tried notifications of these groups (still collecting members), by group key."""
    if not group_keys:
        return {}
    marks = ", ".join("?" for _ in group_keys)
    rows = cur.execute(f"select {', '.join(NOTIFICATION_COLS)} from notifications where group_key in ({marks}) "
                       "and status = 'pending' and attempts = 0 order by notification_id", group_keys).fetchall()
    return {n["group_key"]: n for n in map(_notification, rows)}


def extend_group(cur: Cursor, nid: int, reason: str, items: list[dict], summary: str, area_code: str,
                 level: str | None) -> None:
    """Replace the members of a collecting group notification."""
    cur.execute("""update notifications set reason = ?, items = ?, item_count = ?, summary = ?, area_code = ?,
                   level = ? where notification_id = ?""",
                [reason, json.dumps(items, ensure_ascii=False, default=str), len(items), summary, area_code, level,
                 nid])


def due(db: Database, now: datetime, limit: int = 100) -> list[dict]:
    """Pending notifications whose time has come (first sends and retries), oldest first."""
    rows = db.rows(f"select {', '.join(NOTIFICATION_COLS)} from notifications where status = 'pending' "
                   f"and due_at <= ? order by due_at, notification_id limit {int(limit)}", [now])
    return [_notification(r) for r in rows]


def record_attempt(cur: Cursor, nid: int, status: str, attempts: int, now: datetime, result: str,
                   next_due: datetime | None) -> None:
    """Store the outcome of one send: sent, pending again (retry at `next_due`) or failed for good."""
    cur.execute("""update notifications set status = ?, attempts = ?, last_attempt_at = ?, result = ?,
                   sent_at = case when ? = 'sent' then ? else sent_at end, due_at = coalesce(?, due_at)
                   where notification_id = ?""", [status, attempts, now, result, status, now, next_due, nid])


def open_rows(cur: Cursor, keys: set[str]) -> dict[tuple[str, str], dict]:
    """What each receiver was last told about these open warnings, by (receiver, warning)."""
    if not keys:
        return {}
    marks = ", ".join("?" for _ in keys)
    rows = cur.execute(f"select receiver, key, level from notification_open where key in ({marks})",
                       list(keys)).fetchall()
    return {(r, k): {"level": lv} for r, k, lv in rows}


def write_open_state(cur: Cursor, closes: set[str], upserts: dict[tuple[str, str], tuple[dict, str | None, bool]],
                     acks: dict[str, datetime], now: datetime) -> None:
    """Forget resolved warnings, remember newly told ones (receivers hear again until resolved or acknowledged),
    and mark acknowledged ones (no more repeats; the resolution is still told)."""
    if closes:
        marks = ", ".join("?" for _ in closes)
        cur.execute(f"delete from notification_open where key in ({marks})", list(closes))
        cur.execute(f"delete from notification_acks where key in ({marks})", list(closes))
    if upserts:
        params = []
        for (receiver, key), (notice, level, notified) in upserts.items():
            params += [receiver, key, json.dumps(notice, ensure_ascii=False, default=str), notice["title"], level,
                       now, now if notified else None]
        values = ", ".join("(?, ?, ?, ?, ?, ?, ?)" for _ in upserts)
        cur.execute(f"""insert into notification_open (receiver, key, labels, title, level, opened_at, last_notified_at)
                        values {values} on conflict (receiver, key) do update set labels = excluded.labels,
                        title = excluded.title, level = excluded.level,
                        last_notified_at = coalesce(excluded.last_notified_at, notification_open.last_notified_at)""",
                    params)
    if acks:
        values = ", ".join("(?, ?)" for _ in acks)
        cur.execute(f"insert into notification_acks (key, acknowledged_at) values {values} on conflict (key) do nothing",
                    [v for pair in acks.items() for v in pair])


def touch_open(cur: Cursor, receiver: str, key: str, now: datetime) -> None:
    """Mark a repeat as sent now."""
    cur.execute("update notification_open set last_notified_at = ? where receiver = ? and key = ?",
                [now, receiver, key])


def open_warnings(db: Database) -> list[dict]:
    """Every (receiver, warning) still due repeats: told, not resolved, not acknowledged."""
    rows = db.rows("select receiver, key, labels, level, last_notified_at from notification_open o "
                   "where not exists (select 1 from notification_acks a where a.key = o.key) "
                   "order by receiver, key")
    return [{"receiver": r[0], "key": r[1], "notice": json.loads(r[2]), "level": r[3], "last_notified_at": r[4]}
            for r in rows]


def notifications_in(db: Database, area_prefix: str | None, limit: int = 200, status: str | None = None,
                     kind: str | None = None) -> list[dict]:
    """Newest notifications whose area lies inside `area_prefix` (None for every area)."""
    where, params = ["1 = 1"], []
    if area_prefix:
        where.append("starts_with(area_code, ?)")
        params.append(area_prefix)
    if status:
        where.append("status = ?")
        params.append(status)
    if kind:
        where.append("kind = ?")
        params.append(kind)
    rows = db.rows(f"select {', '.join(NOTIFICATION_COLS)} from notifications where {' and '.join(where)} "
                   f"order by notification_id desc limit {int(limit)}", params)
    return [_notification(r) for r in rows]


def counts_by_status(db: Database, area_prefix: str | None) -> dict[str, int]:
    """How many notifications are in each status inside an area."""
    where, params = "1 = 1", []
    if area_prefix:
        where, params = "starts_with(area_code, ?)", [area_prefix]
    return {s: int(n) for s, n in db.rows(f"select status, count(*) from notifications where {where} "
                                           "group by status", params)}


def _notification(row: tuple) -> dict:
    data = dict(zip(NOTIFICATION_COLS, row, strict=True))
    data["items"] = json.loads(data["items"])
    return data
