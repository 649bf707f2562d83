"""Scheduled briefings: each kind on its cron (config `reports.schedules`) covers the last complete period."""

from __future__ import annotations

import logging
from pathlib import Path

from cockpit.core.clock import Clock
from cockpit.core.config import Config
from cockpit.core.db import Database
from cockpit.core.jobs import Job
from cockpit.reports.archive import generate, scheduled_areas
from cockpit.reports.periods import last_complete

log = logging.getLogger(__name__)


def generate_last_period(db: Database, config: Config, data_dir: Path, kind: str, clock: Clock) -> list[dict]:
    """Generate the `kind` briefing of the last complete period for every scheduled area; one failing area
    does not stop the others."""
    tz = config.city.timezone
    day = last_complete(kind, clock.now(), tz).first_day()
    done = []
    for area in scheduled_areas(db, config):
        try:
            done.append(generate(db, config, data_dir, kind, area, day, clock))
        except Exception:
            log.exception("briefing %s for %s on %s failed", kind, area, day)
    return done


def jobs(config: Config, db: Database, data_dir: Path, clock: Clock) -> list[Job]:
    """One cron job per enabled briefing kind."""
    return [Job(f"reports.{kind}", lambda kind=kind: generate_last_period(db, config, data_dir, kind, clock), "cron",
                sched.cron())
            for kind, sched in config.reports.schedules.items() if sched.enabled]
