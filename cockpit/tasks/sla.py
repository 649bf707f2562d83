"""The SLA clock: deadlines per priority in working time, and the card (none / yellow / red) a task has at `now`.

A yellow card when the deadline is near (within `yellow_before`) or passed; a red card when it is overdue by
more than `red_after`. Margins are durations or shares of the time the task was given (`25%` of 4 h is 1 h). The clock runs against the sign-for deadline (签收时限) until the task is signed for, then
against the finish deadline (办结时限); it stands still while a suspension is approved and once the result is
submitted. Pure: time is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cockpit.core.config import Config
from cockpit.core.config.tasks import SlaConfig, duration_hours, margin_hours
from cockpit.tasks.model import Task
from cockpit.tasks.worktime import NaturalCalendar, WorkCalendar

RANK = {"none": 0, "yellow": 1, "red": 2}


@dataclass(frozen=True)
class Card:
    """The card a task has at a moment, which deadline it is against, and that deadline."""

    level: str
    phase: str | None
    due: datetime | None


@dataclass(frozen=True)
class SlaPolicy:
    """SLA per priority with the calendars they count in."""

    sla: dict[str, SlaConfig]
    working: WorkCalendar
    natural: NaturalCalendar = NaturalCalendar()

    @classmethod
    def from_config(cls, config: Config) -> SlaPolicy:
        """The policy of a deployment (`tasks.sla`, `tasks.calendar`, `city.timezone`)."""
        return cls(dict(config.tasks.sla), WorkCalendar.from_config(config.tasks.calendar, config.city.timezone))

    def rule(self, priority: str) -> SlaConfig:
        """The SLA of `priority` (unknown priorities are refused at dispatch, so this is a programming error)."""
        return self.sla[priority]

    def calendar(self, priority: str):
        """The calendar `priority` counts in."""
        return self.natural if self.rule(priority).calendar == "natural" else self.working

    def hours(self, priority: str, text: str) -> float:
        """A configured duration (`4h`, `3d`) of `priority` in hours of its calendar."""
        return duration_hours(text, self.calendar(priority).hours_per_day)

    def deadlines(self, priority: str, dispatched_at: datetime) -> tuple[datetime, datetime]:
        """(sign-for deadline, finish deadline) of a task dispatched at `dispatched_at`."""
        rule, cal = self.rule(priority), self.calendar(priority)
        return (cal.add(dispatched_at, self.hours(priority, rule.accept)),
                cal.add(dispatched_at, self.hours(priority, rule.finish)))

    def shifter(self, priority: str):
        """`shift(due, since, now)`: `due` moved later by the working time from `since` to `now` (a suspension)."""
        cal = self.calendar(priority)

        def shift(due: datetime, since: datetime, now: datetime) -> datetime:
            return cal.add(due, max(0.0, cal.between(since, now)))

        return shift


def card_at(task: Task, policy: SlaPolicy, now: datetime) -> Card:
    """The card `task` deserves at `now`."""
    if task.state == "dispatched":
        phase, due = "accept", task.accept_due
    elif task.state in ("accepted", "in_progress", "paused"):
        phase, due = "finish", task.finish_due
    else:
        return Card("none", None, None)
    if task.state == "paused" and task.paused_at is not None:
        now = task.paused_at  # the clock stands still while a suspension is approved
    rule, cal = policy.rule(task.priority), policy.calendar(task.priority)
    window = max(0.0, cal.between(task.created_at, due))
    left = cal.between(now, due)
    if left > margin_hours(rule.yellow_before, window, cal.hours_per_day):
        return Card("none", phase, due)
    if -left > margin_hours(rule.red_after, window, cal.hours_per_day):
        return Card("red", phase, due)
    return Card("yellow", phase, due)


def card_to_issue(task: Task, policy: SlaPolicy, now: datetime) -> Card | None:
    """The card to record now, or None when the task already holds it (or a worse one) for the same deadline."""
    if task.state == "paused":
        return None
    card = card_at(task, policy, now)
    held = task.card if task.card_phase == card.phase else "none"
    return card if RANK[card.level] > RANK[held] else None


def overdue(task: Task, now: datetime) -> bool:
    """Whether the deadline the task is currently measured against has passed."""
    if task.state == "dispatched":
        return now > task.accept_due
    if task.state in ("accepted", "in_progress", "declined"):
        return now > task.finish_due
    if task.state == "paused":
        return (task.paused_at or now) > task.finish_due
    return False
