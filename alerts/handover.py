"""值班交接班: the outgoing officer writes a handover listing the open warnings and tasks with notes; the
incoming officer of the same area acknowledges it. Both are kept (and audited)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from alerts import store
from alerts.errors import AlertError, Forbidden, NotFound
from cockpit.core.audit import Actor, audit
from cockpit.core.clock import FixedClock
from cockpit.core.db import Database
from cockpit.core.i18n import N_
from cockpit.core.scope import contains

HANDOVER_ROLES = frozenset({"duty_officer", "center_operator"})


@dataclass(frozen=True)
class Handover:
    """One shift handover."""

    handover_id: str
    area_code: str
    written_by: str
    written_at: datetime
    notes: str
    open_warnings: list[dict]
    open_tasks: list[dict]
    acknowledged_by: str | None
    acknowledged_at: datetime | None


def write(db: Database, user, notes: str, open_warnings: list[dict], open_tasks: list[dict],
          now: datetime) -> Handover:
    """The outgoing officer's handover for their area (warnings and tasks as `{id, title, note}` items)."""
    if user.role not in HANDOVER_ROLES:
        raise Forbidden(N_("You do not have permission for this."))
    if not (notes or "").strip():
        raise AlertError(N_("A handover needs notes for the incoming officer."))
    with db.transaction() as cur:
        hid = f"JJ{store.next_handover_number(cur):05d}"
        store.insert_handover(cur, hid, user.area_code, user.user_id, now, notes.strip(),
                              json.dumps(open_warnings, ensure_ascii=False, default=str),
                              json.dumps(open_tasks, ensure_ascii=False, default=str))
        db.bump(cur, "alerts")
    audit(db, Actor(user.user_id), "handover.write", f"handover:{hid}",
          {"warnings": len(open_warnings), "tasks": len(open_tasks)}, clock=FixedClock(now))
    return latest(db, user.area_code, hid)


def acknowledge(db: Database, user, handover_id: str, now: datetime) -> None:
    """The incoming officer (not the writer) of the same area takes over the shift."""
    row = store.handover(db, handover_id)
    if row is None or not contains(user.area_code, row[1]) or user.role not in HANDOVER_ROLES:
        raise NotFound(N_("No such handover."))
    if row[2] == user.user_id:
        raise AlertError(N_("The incoming officer acknowledges a handover, not its writer."))
    if row[7] is not None:
        raise AlertError(N_("This handover was already acknowledged."))
    with db.transaction() as cur:
        store.ack_handover(cur, handover_id, user.user_id, now)
        db.bump(cur, "alerts")
    audit(db, Actor(user.user_id), "handover.acknowledge", f"handover:{handover_id}", clock=FixedClock(now))


def recent(db: Database, scope: str, limit: int = 10) -> list[Handover]:
    """Handovers of areas in `scope`, newest first."""
    return [_handover(r) for r in store.handovers(db, scope, limit)]


def latest(db: Database, scope: str, handover_id: str | None = None) -> Handover | None:
    """The newest handover in `scope` (or the one with `handover_id`)."""
    rows = store.handovers(db, scope, 50)
    for r in rows:
        if handover_id is None or r[0] == handover_id:
            return _handover(r)
    return None


def _handover(r: tuple) -> Handover:
    return Handover(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), json.loads(r[6]), r[7], r[8])
