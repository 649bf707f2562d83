"""One evaluation step of one warning. Pure: no I/O, no clock (time is an argument).

inactive → pending (condition holds) → firing (held for the level's `for`) → acknowledged (a person) →
resolved (clear for `clear_for`). A warning that rises in colour stays the same warning (`level_up`,
back to firing so that the new level is acknowledged again); a lower level that still holds when the
higher one has been clear for `clear_for` keeps it open at that level (`level_down`). Missing data
freezes a level warning: a silent feed never reads as "normal" (the 数据断流 warning says why).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from alerts import reasons
from alerts.model import RANK, Event, Instance, Observation, Timing, top


def step(prev: Instance, obs: Observation, timing: Timing, now: datetime) -> tuple[Instance, list[Event]]:
    """Advance `prev` by one observation at `now`; returns the new instance and its transitions."""
    if obs.no_data:
        return replace(prev, last_eval_at=now), []
    timers = {lv: prev.timers.get(lv, now) for lv in obs.causes}
    held = [lv for lv, since in timers.items() if now - since >= timing.hold(lv)]
    cur = replace(prev, timers=timers, last_eval_at=now, value=obs.value, detail=obs.detail or prev.detail)
    handler = {"pending": _pending, "firing": _active, "acknowledged": _active}.get(prev.state, _closed)
    return handler(cur, prev, obs, timing, held, now)


def _closed(cur: Instance, prev: Instance, obs: Observation, timing: Timing, held: list[str], now: datetime):
    """Next states: pending, firing (a new warning), or nothing."""
    if not cur.timers:
        return cur, []
    new = replace(cur, warning_id=None, state="pending", level=None, started_at=min(cur.timers.values()),
                  fired_at=None, acknowledged_at=None, acknowledged_by=None, ack_comment=None, resolved_at=None,
                  tier_since=None, task_id=None, clear_since=None)
    if held:
        return _fire(new, "inactive", obs, timing, top(held))
    level = _soonest(cur.timers, timing)
    cause = obs.causes[level]
    args = {"duration": reasons.duration_text(timing.hold(level))}
    new = replace(new, level=level, reason=reasons.PENDING, reason_args=args, threshold=cause.threshold)
    return new, [Event("pending", now, "inactive", "pending", level, None, reasons.PENDING, args)]


def _pending(cur: Instance, prev: Instance, obs: Observation, timing: Timing, held: list[str], now: datetime):
    """Next states: firing, inactive (cleared before firing), or still pending."""
    if not cur.timers:
        out = replace(cur, state="inactive", reason=reasons.CANCELLED, reason_args={})
        return out, [Event("cancelled", now, "pending", "inactive", prev.level, None, reasons.CANCELLED)]
    if held:
        return _fire(cur, "pending", obs, timing, top(held))
    return replace(cur, level=_soonest(cur.timers, timing)), []


def _soonest(timers: dict, timing: Timing) -> str:
    """The level a pending warning will fire at first (the most severe among equally soon ones)."""
    return min(timers, key=lambda lv: (timers[lv] + timing.hold(lv), -RANK[lv]))


def _fire(cur: Instance, from_state: str, obs: Observation, timing: Timing, level: str):
    """Fire at the moment the level had held for its `for` (not later, whenever the evaluation ran)."""
    at = cur.timers[level] + timing.hold(level)
    cause = obs.causes[level]
    out = replace(cur, state="firing", level=level, fired_at=at, reason=cause.reason, reason_args=cause.args,
                  threshold=cause.threshold, tier=cur.tier or "street", tier_since=at)
    return out, [Event("firing", at, from_state, "firing", level, None, cause.reason, cause.args)]


def _active(cur: Instance, prev: Instance, obs: Observation, timing: Timing, held: list[str], now: datetime):
    """Next states of a firing or acknowledged warning: level up, level down, resolved, or unchanged."""
    events: list[Event] = []
    highest = top(held)
    if highest is not None and RANK[highest] > RANK[prev.level]:
        at = cur.timers[highest] + timing.hold(highest)
        cause = obs.causes[highest]
        cur = replace(cur, state="firing", level=highest, reason=cause.reason, reason_args=cause.args,
                      threshold=cause.threshold, acknowledged_at=None, acknowledged_by=None, ack_comment=None,
                      clear_since=None)
        events.append(Event("level_up", at, prev.state, "firing", highest, prev.level, cause.reason, cause.args))
        return cur, events
    if cur.level in cur.timers:
        cause = obs.causes[cur.level]
        return replace(cur, clear_since=None, threshold=cause.threshold), events
    since = prev.clear_since or now
    cur = replace(cur, clear_since=since)
    if now - since < timing.clear_for:
        return cur, events
    at = since + timing.clear_for
    args = {"duration": reasons.duration_text(timing.clear_for)}
    if highest is not None:
        cause = obs.causes[highest]
        out = replace(cur, level=highest, clear_since=None, reason=cause.reason, reason_args=cause.args,
                      threshold=cause.threshold)
        return out, [Event("level_down", at, prev.state, prev.state, highest, prev.level, reasons.LEVEL_DOWN,
                           {**args, "level": prev.level})]
    out = replace(cur, state="resolved", resolved_at=at, reason=reasons.RESOLVED, reason_args=args)
    return out, [Event("resolved", at, prev.state, "resolved", prev.level, None, reasons.RESOLVED, args)]


def acknowledge(prev: Instance, user_id: str, comment: str | None, now: datetime) -> tuple[Instance, list[Event]]:
    """A person acknowledges a firing warning. Raises ValueError when it is not firing."""
    if prev.state != "firing":
        raise ValueError(reasons.NOT_FIRING)
    args = {"user": user_id}
    out = replace(prev, state="acknowledged", acknowledged_at=now, acknowledged_by=user_id, ack_comment=comment,
                  reason=reasons.ACKNOWLEDGED, reason_args=args)
    return out, [Event("acknowledged", now, "firing", "acknowledged", prev.level, None, reasons.ACKNOWLEDGED, args,
                       actor=user_id, comment=comment)]
