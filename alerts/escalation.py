"""Escalation: a firing warning not acknowledged in the configured time goes to the next tier
(street → district → city duty desk → leader); each step is an event. Pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from alerts import reasons
from alerts.model import Event, Instance
from cockpit.core.config.alerts import TIERS, EscalationConfig
from cockpit.core.config.indicators import parse_duration

AREA_TIER = {"street": "street", "district": "district", "city": "city"}


def wait(policy: EscalationConfig, tier: str, level: str | None) -> timedelta | None:
    """How long a warning may stay unacknowledged at `tier` (None: it does not escalate further)."""
    if tier not in policy.after or tier == TIERS[-1]:
        return None
    base = parse_duration(policy.after[tier])
    if level == "red" and policy.red_after:
        return min(base, parse_duration(policy.red_after))
    return base


def escalate(inst: Instance, policy: EscalationConfig, now: datetime) -> tuple[Instance, list[Event]]:
    """Move `inst` up as many tiers as their waits have passed since it reached its tier."""
    events: list[Event] = []
    if not policy.enabled:
        return inst, events
    while inst.state == "firing" and inst.tier in TIERS and inst.tier_since is not None:
        limit = wait(policy, inst.tier, inst.level)
        if limit is None or now - inst.tier_since < limit:
            break
        nxt = TIERS[TIERS.index(inst.tier) + 1]
        at = inst.tier_since + limit
        args = {"duration": reasons.duration_text(limit), "tier": nxt}
        inst = replace(inst, tier=nxt, tier_since=at)
        events.append(Event("escalated", at, "firing", "firing", inst.level, None, reasons.ESCALATED, args, tier=nxt))
    return inst, events
