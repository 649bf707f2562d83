"""The scheduled job of the notification stages: plan from new events, then deliver what is due."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from alerts.notify.delivery import DeliveryReport, deliver_due
from alerts.notify.feeds import Feed
from alerts.notify.planner import PlanReport, plan
from cockpit.core.clock import Clock
from cockpit.core.config import Config
from cockpit.core.db import Database
from cockpit.core.jobs import Job

log = logging.getLogger(__name__)


@dataclass
class Notifier:
    """Everything one pass needs; `run_once` is what the scheduler calls every `poll_seconds`."""

    db: Database
    config: Config
    clock: Clock
    feeds: list[Feed]

    def run_once(self) -> tuple[PlanReport, DeliveryReport]:
        """Queue notifications for new events and repeats, then send those due; returns what was done."""
        planned = plan(self.db, self.config, self.feeds, self.clock.now())
        delivered = deliver_due(self.db, self.config, self.clock.now())
        if planned.events or delivered.sent or delivered.failed or delivered.retrying:
            log.info("notify: %s events, %s queued, %s suppressed, %s repeats; %s sent, %s retrying, %s failed",
                     planned.events, planned.queued, planned.suppressed, planned.repeats, delivered.sent,
                     delivered.retrying, delivered.failed)
        return planned, delivered


def jobs(config: Config, db: Database, clock: Clock, feeds: list[Feed]) -> list[Job]:
    """The notifier job, in its own scheduler thread so that sending never holds up evaluation."""
    notifier = Notifier(db, config, clock, feeds)
    return [Job("notify.dispatch", notifier.run_once, "interval", {"seconds": config.notifications.poll_seconds})]
