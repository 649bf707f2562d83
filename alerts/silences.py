"""Silences (maintenance windows): who, why and until when — all required — matched by source,
indicator and area. A silenced warning still changes state and is stored; its events are marked
`silenced` so that nothing is sent, and the silence counts what it suppressed."""

from __future__ import annotations

from datetime import datetime

from alerts import store
from alerts.errors import AlertError
from alerts.model import Instance
from cockpit.core.audit import Actor, audit
from cockpit.core.clock import FixedClock
from cockpit.core.db import Database
from cockpit.core.i18n import N_
from cockpit.core.scope import contains


def matches(s: store.Silence, inst: Instance) -> bool:
    """Whether silence `s` covers the warning (every matcher it names must hold; it names at least one)."""
    if s.source_id is not None and s.source_id != inst.source_id:
        return False
    if s.indicator_id is not None and s.indicator_id != inst.indicator_id:
        return False
    return s.area_code is None or contains(s.area_code, inst.area_code)


def covering(active: list[store.Silence], inst: Instance) -> list[str]:
    """Ids of the active silences that cover `inst`."""
    return [s.silence_id for s in active if matches(s, inst)]


def add(db: Database, user, *, reason: str, ends_at: datetime, now: datetime, source_id: str | None = None,
        indicator_id: str | None = None, area_code: str | None = None) -> store.Silence:
    """Create a silence. Raises AlertError when who, why, until or every matcher is missing, or the area is
    outside the user's scope."""
    if user is None or not getattr(user, "user_id", None):
        raise AlertError(N_("A silence needs the person who sets it."))
    if not (reason or "").strip():
        raise AlertError(N_("A silence needs a reason."))
    if ends_at is None or ends_at <= now:
        raise AlertError(N_("A silence needs an end time in the future."))
    if source_id is None and indicator_id is None and area_code is None:
        raise AlertError(N_("A silence must match a source, an indicator or an area."))
    scope = area_code or getattr(user, "area_code", None)
    if getattr(user, "area_code", None) and not contains(user.area_code, scope):
        raise AlertError(N_("This area is outside your scope."))
    if area_code is None and getattr(user, "area_code", None) and len(user.area_code) and \
            user.area_code != _city(db, user.area_code):
        area_code = user.area_code  # a district officer's silence never reaches beyond the district
    with db.transaction() as cur:
        sid = f"JM{store.next_silence_number(cur):05d}"
        silence = store.Silence(sid, user.user_id, now, reason.strip(), ends_at, source_id, indicator_id,
                                area_code, 0, None)
        store.insert_silence(cur, silence)
        db.bump(cur, "alerts")
    audit(db, Actor(user.user_id), "silence.add", f"silence:{sid}",
          {"reason": reason.strip(), "ends_at": ends_at.isoformat(), "source": source_id,
           "indicator": indicator_id, "area": area_code}, clock=FixedClock(now))
    return silence


def _city(db: Database, code: str) -> str | None:
    from cockpit.core import store as core_store

    area = core_store.area(db, code)
    return code if area is not None and area.level == "city" else None
