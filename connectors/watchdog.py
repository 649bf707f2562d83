"""The watchdog: runs that outlive their budget, and the freshness table the warning engine reads.

A fetch that ignores its own timeout (a driver stuck in a socket read) keeps its run `running`; with one
instance per source the scheduler then silently skips every later run. Every minute the watchdog marks
such a run `hung` in `source_runs` (logged once, at that transition), and rewrites `source_freshness`:
one row per enabled source with level ok | warn | error | unknown (数据断流 when warn/error), the
contract with `alerts/` described in connectors/README.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from cockpit.core.config import Config
from cockpit.core.db import Database
from connectors import store
from connectors.freshness import hung_runs, stale_sources

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WatchReport:
    """What one watchdog pass found."""

    newly_hung: list[int]           # run ids marked hung by this pass
    stale: list[str]                # source ids past warn_after


def watch(db: Database, config: Config, now: datetime) -> WatchReport:
    """Mark hung runs (logging each once) and rewrite `source_freshness` for every enabled source."""
    newly = []
    for h in hung_runs(db, config, now):
        with db.transaction() as cur:
            marked = store.mark_hung(cur, h.run_id, h.reason)
        if marked:
            newly.append(h.run_id)
            log.error("source %s: run %d hangs past its timeout (started %s); later runs are skipped until it ends",
                      h.source_id, h.run_id, h.started_at.isoformat())
    hung = {sid: reason for _run, sid, reason in store.hung_run_ids(db)}
    stale = {s.source_id: s for s in stale_sources(db, config, now)}
    rows = []
    for sid, source in config.sources.items():
        if not source.enabled:
            continue
        s = stale.get(sid)
        last = store.state(db, sid).last_success_at
        if s is not None:
            level, reason, silent = s.level, s.reason, s.silent_for_seconds
        else:
            level = "ok" if last else "unknown"
            reason, silent = None, (now - last).total_seconds() if last else None
        if sid in hung:
            reason = f"{reason}；{hung[sid]}" if reason else hung[sid]
        rows.append((sid, source.name, source.dataset, level, last, silent, reason, now))
    with db.transaction() as cur:
        store.replace_freshness(cur, rows)
        db.bump(cur, "freshness")
    return WatchReport(newly, sorted(stale))
