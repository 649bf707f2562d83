"""Who a task goes to by default (domain × area → unit) and the pre-filled dispatch form. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cockpit.core.config import Config
from cockpit.core.scope import contains, scope_prefix
from cockpit.tasks.sla import SlaPolicy


@dataclass(frozen=True)
class Draft:
    """A dispatch form filled from the routing table and the SLA; every field stays editable."""

    to_unit: str | None
    priority: str
    accept_due: datetime
    finish_due: datetime


def route(config: Config, domain: str | None, area_code: str) -> str | None:
    """The responsible unit for `domain` in `area_code`: the rule with the most specific area wins.

    A rule's unit `center` means the command center of the rule's area (a district sub-center then
    re-dispatches to its streets).
    """
    best, best_len = None, -1
    for rule in config.tasks.routing:
        if rule.domain != domain:
            continue
        if rule.area is not None and not contains(rule.area, area_code):
            continue
        length = len(scope_prefix(rule.area)) if rule.area else 0
        if length > best_len:
            best, best_len = rule, length
    if best is None:
        return None
    return f"center_{best.area}" if best.unit == "center" else best.unit


def draft(config: Config, domain: str | None, area_code: str, now: datetime, priority: str | None = None,
          plan_unit: str | None = None) -> Draft:
    """The one-click dispatch form: the plan's unit if it names one, else the routing table's; SLA deadlines."""
    priority = priority or config.tasks.default_priority
    accept_due, finish_due = SlaPolicy.from_config(config).deadlines(priority, now)
    return Draft(plan_unit or route(config, domain, area_code), priority, accept_due, finish_due)
