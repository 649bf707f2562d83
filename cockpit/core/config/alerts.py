"""Configuration of the warning lifecycle (alerts) and of the emergency plans (预案)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from cockpit.core.config.base import Model
from cockpit.core.config.indicators import Duration

Level = Literal["blue", "yellow", "orange", "red"]
Tier = Literal["street", "district", "city", "leader"]
TIERS: tuple[str, ...] = ("street", "district", "city", "leader")


class EscalationConfig(Model):
    """Unacknowledged firing warnings move up one tier after the time configured for their current tier."""

    enabled: bool = True
    after: dict[Tier, Duration] = Field(  # type: ignore[valid-type]
        default_factory=lambda: {"street": "30m", "district": "30m", "city": "1h"},
        description="Tier → time without acknowledgement before the warning goes to the next tier")
    red_after: Duration | None = Field(default="15m", description="Shorter wait for red warnings at every tier")


class AlertsConfig(Model):
    """The warning lifecycle: hysteresis on resolving, visibility, limits, escalation."""

    clear_for: Duration = Field(default="1h", description="A firing warning resolves after its condition has been "
                                                           "clear this long (hysteresis in time)")
    clear_for_by_indicator: dict[str, Duration] = Field(default_factory=dict,
                                                        description="Indicator id → its own clear_for")
    resolved_visible: Duration = Field(default="12h", description="How long resolved warnings stay in the queue")
    max_open_per_rule: int = Field(default=200, ge=1, description="Cardinality limit: more open warnings than "
                                                                   "this puts the rule in error")
    no_data_level: Level = Field(default="yellow",  # type: ignore[valid-type]
                                 description="Level of a 数据断流 warning")
    source_levels: dict[Literal["warn", "error"], Level] = Field(  # type: ignore[valid-type]
        default_factory=lambda: {"warn": "yellow", "error": "orange"},
        description="Level of a stale source's warning by its freshness level")
    evaluate_minutes: int = Field(default=1, ge=1, description="Interval of the lifecycle job (timers, escalation)")
    escalation: EscalationConfig = Field(default_factory=EscalationConfig)


class PlanTrigger(Model):
    """When a plan is proposed: a warning of `indicator` at `level` or above."""

    indicator: str
    level: Level = Field(description="Lowest warning level that triggers the plan")  # type: ignore[valid-type]
    areas: list[str] = Field(default_factory=list, description="Area codes (subtrees); empty for everywhere")


class PlanAction(Model):
    """One pre-filled task of a plan."""

    unit: str = Field(description="Unit id, or `center` for the command center of the warning's district")
    text: str = Field(min_length=1, description="Task title, e.g. 加密监测")
    body: str = ""
    deadline: Duration = Field(default="4h", description="Finish deadline from the plan's activation")
    priority: str | None = Field(default=None, description="Task priority; the tasks default when absent")


class PlanConfig(Model):
    """An emergency plan (预案): trigger conditions and the tasks it proposes."""

    name: str = Field(description="e.g. 大气重污染应急预案")
    domain: str | None = None
    triggers: list[PlanTrigger] = Field(min_length=1)
    actions: list[PlanAction] = Field(min_length=1)
    escalate_on: Level | None = Field(default=None,  # type: ignore[valid-type]
                                      description="A warning reaching this level records 升级 on the activation")
