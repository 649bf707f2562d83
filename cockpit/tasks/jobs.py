"""Scheduled work of the tasks room, wired by the composition root."""

from __future__ import annotations

from cockpit.core.jobs import Job
from cockpit.tasks.cards import issue_cards


def jobs(runtime) -> list[Job]:
    """The SLA clock: every `tasks.card_check_minutes`, issue the yellow and red cards that are due."""

    def run_cards() -> None:
        issue_cards(runtime.db, runtime.config, runtime.clock.now())

    return [Job(id="tasks:cards", func=run_cards, trigger="interval",
                trigger_args={"minutes": runtime.config.tasks.card_check_minutes}, jitter_seconds=10)]
