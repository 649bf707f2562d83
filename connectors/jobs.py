"""Scheduled ingest: one interval job per enabled source, with jitter, run by the composition root."""

from __future__ import annotations

import logging

from cockpit.core.clock import Clock
from cockpit.core.config import Config
from cockpit.core.db import Database
from cockpit.core.jobs import Job
from connectors.runner import duration, try_run_source
from connectors.watchdog import watch

log = logging.getLogger(__name__)


def jobs(config: Config, db: Database, clock: Clock) -> list[Job]:
    """A job per enabled source: every `schedule`, jittered by up to a tenth of it (at most 60 s).

    Each run has its own time budget (`timeout`) enforced by the runner and every network call of
    a connector has a timeout; a run that hangs anyway is reported by the watchdog job (every minute),
    which also keeps the `source_freshness` table (数据断流) up to date.
    """
    out = []
    for sid, source in config.sources.items():
        if not source.enabled:
            continue
        seconds = int(duration(source.schedule).total_seconds())
        out.append(Job(
            id=f"ingest:{sid}",
            func=_runner(db, config, sid, clock),
            trigger="interval",
            trigger_args={"seconds": seconds},
            jitter_seconds=min(60, max(1, seconds // 10)),
        ))
    if config.sources:
        out.append(Job(id="connectors.watchdog", func=lambda: watch(db, config, clock.now()), trigger="interval",
                       trigger_args={"seconds": 60}))
    return out


def _runner(db: Database, config: Config, source_id: str, clock: Clock):
    def run():
        """One run of the source; its result (None when a run started by hand is still going)."""
        result = try_run_source(db, config, source_id, clock)
        if result is None:
            log.info("source %s: still running (started by hand), this scheduled run is skipped", source_id)
        return result

    run.__name__ = f"ingest_{source_id}"
    return run
