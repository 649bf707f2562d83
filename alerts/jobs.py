"""The scheduled job of the alerts room: advance every warning (timers, escalation) after the indicators."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from alerts import evaluate
from alerts.observe import StaleFeed
from cockpit.core.clock import Clock
from cockpit.core.config import Config
from cockpit.core.db import Database
from cockpit.core.jobs import Job

log = logging.getLogger(__name__)


def evaluator(config: Config, db: Database, clock: Clock,
              stale_feeds: Callable[[], Iterable[StaleFeed]] = lambda: ()) -> Callable[[], evaluate.Report]:
    """A callable running one evaluation now, with the stale sources the composition root hands in."""

    def run() -> evaluate.Report:
        now = clock.now()
        return evaluate.evaluate(db, config, now, list(stale_feeds()))

    return run


def jobs(config: Config, run: Callable[[], object]) -> list[Job]:
    """The lifecycle job on its own interval (the composition root also runs it after each indicator run)."""
    return [Job("alerts.evaluate", run, "interval", {"minutes": config.alerts.evaluate_minutes})]
