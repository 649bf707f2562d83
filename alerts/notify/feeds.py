"""Feeds: where notices come from, each read after the last event id already handled (kept in the database).

The warning feed reads this room's `warning_events`; the task feed is a function handed in by the composition
root (alerts may not import cockpit.tasks), `cockpit.tasks.queries.notifications_after(db, after_event_id)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from alerts.notify import store
from alerts.notify.notices import Notice, task_notice, warning_notice, warning_reason
from cockpit.core.config import Config
from cockpit.core.db import Database


@dataclass(frozen=True)
class Feed:
    """A named stream of events with increasing `event_id`s and the way to turn one into a notice."""

    name: str
    fetch: Callable[[Database, int], list[dict]]
    to_notice: Callable[[dict], Notice | None]


def warning_feed(config: Config) -> Feed:
    """Warning transitions: first firing, level change, escalation, resolution (acknowledgement ends repeats)."""

    def to_notice(event: dict) -> Notice | None:
        if event.get("silenced"):
            return None
        reason = warning_reason(event)
        return warning_notice(event, config, reason) if reason else None

    return Feed("warnings", store.warning_events_after, to_notice)


def task_feed(config: Config, events_after: Callable[[Database, int], list[dict]]) -> Feed:
    """Task events the assignee unit must hear about, from the tasks room's `notifications_after`."""
    return Feed("tasks", events_after, lambda event: task_notice(event, config))
