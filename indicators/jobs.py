"""The scheduled job of the indicator engine: evaluate incrementally every few minutes."""

from __future__ import annotations

import logging

from cockpit.core.clock import Clock
from cockpit.core.config import Config
from cockpit.core.db import Database
from cockpit.core.jobs import Job
from indicators import engine

log = logging.getLogger(__name__)


def jobs(config: Config, db: Database, clock: Clock, minutes: int = 5) -> list[Job]:
    """One job: recompute what changed since the last run (a full run the first time)."""

    def run() -> None:
        report = engine.evaluate(db, config, clock.now())
        changed = {k: v for k, v in report.modes.items() if v not in ("unchanged",)}
        if changed:
            log.info("indicators evaluated: %s", changed)

    return [Job("indicators.evaluate", run, "interval", {"minutes": minutes}, jitter_seconds=20)]
