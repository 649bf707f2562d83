"""What a person does to a warning: acknowledge it with a comment; link its dispatched task.
Role and area scope are checked here, on the server, whatever page or command calls."""

from __future__ import annotations

from datetime import datetime

from alerts import lifecycle, store
from alerts.errors import AlertError, Forbidden, NotFound
from alerts.model import Instance
from cockpit.core.audit import Actor, audit
from cockpit.core.clock import FixedClock
from cockpit.core.db import Database
from cockpit.core.i18n import N_
from cockpit.core.scope import contains

ACK_ROLES = frozenset({"duty_officer", "center_operator"})


def scoped(db: Database, user, warning_id: str) -> Instance:
    """The warning if it lies in the user's area scope; NotFound otherwise (nothing leaks across areas)."""
    inst = store.instance(db, warning_id)
    if inst is None or not contains(user.area_code, inst.area_code):
        raise NotFound(N_("No such warning."))
    return inst


def acknowledge(db: Database, user, warning_id: str, comment: str | None, now: datetime,
                ip: str | None = None) -> Instance:
    """Acknowledge a firing warning in the user's scope (audited; refused attempts too)."""
    try:
        if user.role not in ACK_ROLES:
            raise Forbidden(N_("You do not have permission for this."))
        scoped(db, user, warning_id)
        with db.transaction() as cur:
            inst = store.instance(db, warning_id, cur)
            try:
                nxt, events = lifecycle.acknowledge(inst, user.user_id, (comment or "").strip() or None, now)
            except ValueError as exc:
                raise AlertError(str(exc)) from None
            store.save(cur, nxt, events, now)
            db.bump(cur, "alerts")
    except AlertError:
        audit(db, Actor(user.user_id, ip), "warning.ack", f"warning:{warning_id}", None, "denied",
              clock=FixedClock(now))
        raise
    audit(db, Actor(user.user_id, ip), "warning.ack", f"warning:{warning_id}", {"comment": comment},
          clock=FixedClock(now))
    return nxt


def link_task(db: Database, user, warning_id: str, task_id: str) -> None:
    """Remember the task dispatched for a warning in the user's scope."""
    scoped(db, user, warning_id)
    with db.transaction() as cur:
        store.set_task(cur, warning_id, task_id)
        db.bump(cur, "alerts")
