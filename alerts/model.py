"""Values the lifecycle passes around: a warning instance, one evaluation's observation, transition events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

LEVELS = ("blue", "yellow", "orange", "red")
RANK = {lv: i for i, lv in enumerate(LEVELS)}
OPEN_STATES = frozenset({"pending", "firing", "acknowledged"})
STATES = ("inactive", "pending", "firing", "acknowledged", "resolved")


def top(levels) -> str | None:
    """The most severe of `levels` (None when empty)."""
    levels = list(levels)
    return max(levels, key=RANK.__getitem__) if levels else None


@dataclass(frozen=True)
class Cause:
    """Why one level's condition holds: a msgid with its values, and the bound crossed."""

    reason: str
    args: dict = field(default_factory=dict)
    threshold: float | None = None


@dataclass(frozen=True)
class Observation:
    """What one evaluation saw for one rule × area: which levels' conditions hold, or that data is missing."""

    causes: dict[str, Cause]            # level → cause, only for levels whose condition holds now
    value: float | None = None
    detail: str | None = None           # the indicator rule's own explanation (data text)
    no_data: bool = False


@dataclass(frozen=True)
class Timing:
    """How long each level must hold before firing, and how long clear before resolving."""

    for_: dict[str, timedelta]
    clear_for: timedelta

    def hold(self, level: str) -> timedelta:
        """The `for` of `level` (0 when not configured)."""
        return self.for_.get(level, timedelta(0))


@dataclass(frozen=True)
class Instance:
    """One warning of one rule × area (state `inactive` before it exists)."""

    rule_id: str
    area_code: str
    kind: str = "level"                 # level | no_data | source
    indicator_id: str | None = None
    source_id: str | None = None
    domain: str | None = None
    warning_id: str | None = None
    state: str = "inactive"
    level: str | None = None
    reason: str = ""
    reason_args: dict = field(default_factory=dict)
    detail: str | None = None
    value: float | None = None
    threshold: float | None = None
    started_at: datetime | None = None
    fired_at: datetime | None = None
    last_eval_at: datetime | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    ack_comment: str | None = None
    resolved_at: datetime | None = None
    tier: str | None = None
    tier_since: datetime | None = None
    task_id: str | None = None
    timers: dict[str, datetime] = field(default_factory=dict)   # level → its condition holds since
    clear_since: datetime | None = None

    @property
    def open(self) -> bool:
        """Pending, firing or acknowledged."""
        return self.state in OPEN_STATES

    @property
    def key(self) -> tuple[str, str]:
        """What makes a warning unique while open: rule × area."""
        return self.rule_id, self.area_code


@dataclass(frozen=True)
class Event:
    """One transition of one warning (a `warning_events` row without its id)."""

    kind: str
    at: datetime
    from_state: str
    to_state: str
    level: str | None
    prev_level: str | None
    reason: str
    args: dict = field(default_factory=dict)
    actor: str = "system"
    comment: str | None = None
    tier: str | None = None
