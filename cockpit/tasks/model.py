"""The values the task domain passes around: a task, an action someone asks for, the event it produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from cockpit.core.i18n import N_

# 待签收 → 已签收 → 处置中 → 已反馈 → 已办结, plus 挂起, 拒签 and 撤销.
STATES: Final = ("dispatched", "accepted", "in_progress", "paused", "submitted", "closed", "declined", "cancelled")
FINAL_STATES: Final = frozenset({"closed", "cancelled"})
OPEN_STATES: Final = tuple(s for s in STATES if s not in FINAL_STATES)

STATE_LABELS: Final = {
    "dispatched": N_("To sign for"),
    "accepted": N_("Signed for"),
    "in_progress": N_("In progress"),
    "paused": N_("Suspended"),
    "submitted": N_("Result submitted"),
    "closed": N_("Closed"),
    "declined": N_("Declined"),
    "cancelled": N_("Cancelled"),
}

# Where a task came from. Tasks from a warning, plan, citizen request or supervision item are unique per
# origin id (one click twice, or two officers at once, yield one task).
ORIGINS: Final = ("warning", "plan", "instruction", "supervision", "citizen", "manual", "subtask")

ORIGIN_LABELS: Final = {
    "warning": N_("Warning"),
    "plan": N_("Emergency plan"),
    "instruction": N_("Leader instruction"),
    "supervision": N_("Supervision item"),
    "citizen": N_("Citizen request"),
    "manual": N_("Manual"),
    "subtask": N_("Sub-task"),
}

CARD_LEVELS: Final = ("none", "yellow", "red")


@dataclass(frozen=True)
class Task:
    """One task row. Times are timezone-aware UTC."""

    task_id: str
    title: str
    body: str
    origin: str
    origin_id: str | None
    from_unit: str
    to_unit: str
    area_code: str
    domain: str | None
    priority: str
    state: str
    progress: int
    reported_progress: int
    parent_task_id: str | None
    created_by: str
    created_at: datetime
    accept_due: datetime
    finish_due: datetime
    updated_at: datetime
    accepted_at: datetime | None = None
    submitted_at: datetime | None = None
    closed_at: datetime | None = None
    paused_at: datetime | None = None
    request_kind: str | None = None
    request_reason: str | None = None
    request_until: datetime | None = None
    requested_by: str | None = None
    verified_at: datetime | None = None
    verified_by: str | None = None
    solved: bool | None = None
    satisfied: bool | None = None
    followed_up_at: datetime | None = None
    card: str = "none"
    card_phase: str | None = None
    urge_count: int = 0
    yellow_cards: int = 0
    red_cards: int = 0


@dataclass(frozen=True)
class Upload:
    """A file someone attaches as evidence (bytes as received; checked before storing)."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class Action:
    """What someone asks to do to a task, with the values that action needs."""

    name: str
    note: str | None = None
    progress: int | None = None
    until: datetime | None = None
    to_unit: str | None = None
    solved: bool | None = None
    satisfied: bool | None = None
    card: str | None = None
    card_phase: str | None = None
    files: tuple[Upload, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Event:
    """One line of a task's timeline: who did what, when, from which state to which."""

    task_id: str
    occurred_at: datetime
    actor_id: str | None
    actor_unit: str | None
    action: str
    from_state: str | None
    to_state: str
    progress: int | None = None
    note: str | None = None
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Actor:
    """Who acts on a task: a user's role, unit and area (the system has role `system`)."""

    user_id: str | None
    role: str
    unit_id: str | None
    area_code: str


SYSTEM: Final = Actor(None, "system", None, "")


def actor_of(user) -> Actor:
    """The task actor for a `cockpit.core.store.User`."""
    return Actor(user.user_id, user.role, user.unit_id, user.area_code)
