"""The audit log: append-only and hash-chained, so an edited or deleted record is detected."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from cockpit.core import store
from cockpit.core.clock import Clock, SystemClock
from cockpit.core.db import Database


@dataclass(frozen=True)
class Actor:
    """Who did something, and from where."""

    user_id: str | None
    ip: str | None = None


def record_hash(prev_hash: str, seq: int, at: datetime, user_id, ip, action, obj, detail, outcome) -> str:
    """The chained hash of one record: it covers every field and the previous record's hash."""
    payload = json.dumps(
        [prev_hash, seq, at.isoformat(), user_id, ip, action, obj, detail, outcome], ensure_ascii=False
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def audit(
    db: Database,
    actor: Actor,
    action: str,
    obj: str | None = None,
    detail: dict | str | None = None,
    outcome: str = "ok",
    clock: Clock | None = None,
) -> int:
    """Append an audit record and return its sequence number.

    Args:
        action: a dotted verb such as `auth.login` or `task.dispatch`.
        obj: what was acted on, e.g. `user:leader1` or `area:321202`.
        outcome: `ok`, `denied`, `failed`.
    """
    at = (clock or SystemClock()).now().replace(microsecond=0)
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True) if isinstance(detail, dict) else detail
    with db.transaction() as cur:
        prev = store.last_audit_hash(cur)
        seq = store.next_audit_seq(cur)
        digest = record_hash(prev, seq, at, actor.user_id, actor.ip, action, obj, text, outcome)
        store.insert_audit(cur, (seq, at, actor.user_id, actor.ip, action, obj, text, outcome, prev, digest))
    return seq


def verify(db: Database) -> list[str]:
    """Check the whole chain; return one message per broken link (empty when intact)."""
    problems = []
    prev = ""
    expected_seq = None
    for seq, at, user_id, ip, action, obj, detail, outcome, prev_hash, digest in store.audit_records_in_order(db):
        if expected_seq is not None and seq != expected_seq:
            problems.append(f"记录 {expected_seq}–{seq - 1} 缺失 / records {expected_seq}..{seq - 1} deleted")
        if prev_hash != prev:
            problems.append(f"记录 {seq} 的前序哈希不符 / record {seq}: chain broken before it")
        if record_hash(prev_hash, seq, at, user_id, ip, action, obj, detail, outcome) != digest:
            problems.append(f"记录 {seq} 已被篡改 / record {seq}: contents altered")
        prev = digest
        expected_seq = seq + 1
    return problems
