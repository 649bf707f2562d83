"""The ingest pipeline: fetch → validate → normalise → write in one transaction per batch → advance the
cursor → record the run. Connectors only fetch; everything that must never lose or double a row is here.

A batch, its quarantined rows, its cursor and its run counters commit together, so a process killed at
any point resumes from the last committed batch and re-reading is harmless (writes are keyed upserts).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import ValidationError

from cockpit.core.clock import Clock
from cockpit.core.config import Config
from connectors import store
from connectors.base import Batch, FetchContext, connector
from connectors.errors import ConfigError, TransientError, classify
from connectors.normalise import normalise

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunResult:
    """What one run of one source did."""

    run_id: int
    source_id: str
    status: str                 # ok | failed
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    error_kind: str | None = None
    error: str | None = None


def duration(text: str) -> timedelta:
    """`15m`, `2h`, `30s`, `1d` as a timedelta."""
    unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[text[-1]]
    return timedelta(**{unit: int(text[:-1])})


def ingest(db, config: Config, clock: Clock, source_id: str | None = None) -> list[RunResult]:
    """Run every enabled source once (or only `source_id`, enabled or not), one after the other."""
    ids = [source_id] if source_id else [sid for sid, s in config.sources.items() if s.enabled]
    return [run_source(db, config, sid, clock) for sid in ids]


_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def try_run_source(db, config: Config, source_id: str, clock: Clock) -> RunResult | None:
    """Run a source unless a run of it is already going on in this process (then None).

    The scheduled job and "run now" both come through here: two runs of one source at once would each
    take the other for a killed run (`start_run` marks running runs as interrupted).
    """
    lock = source_lock(source_id)
    if not lock.acquire(blocking=False):
        return None
    try:
        return run_source(db, config, source_id, clock)
    finally:
        lock.release()


def source_lock(source_id: str) -> threading.Lock:
    """The lock a run of the source holds in this process (a plain Lock: another thread may release it)."""
    with _locks_guard:
        return _locks.setdefault(source_id, threading.Lock())


def is_running_here(source_id: str) -> bool:
    """Whether a run of the source is going on in this process."""
    lock = _locks.get(source_id)
    return lock is not None and lock.locked()


def run_source(db, config: Config, source_id: str, clock: Clock) -> RunResult:
    """Run one source once and record the run; failures are classified and recorded, never raised."""
    source = config.sources[source_id]
    started = clock.now()
    with db.transaction() as cur:
        run_id = store.start_run(cur, source_id, started)
    counts = [0, 0, 0]
    try:
        _run(db, config, source_id, run_id, started, clock, counts)
    except Exception as exc:  # classified below: every failure ends as a recorded, readable run
        kind, message = classify(exc)
        if config.datasets[source.dataset].write == "replace":
            with db.transaction() as cur:     # a failed full load leaves the table as it was
                store.drop_replace_stage(cur, source.dataset, run_id)
        _fail(db, source_id, run_id, clock.now(), kind, message, exc)
        return RunResult(run_id, source_id, "failed", *counts, kind, message)
    with db.transaction() as cur:
        store.finish_run(cur, run_id, clock.now(), "ok")
        was = store.state(db, source_id)
        store.mark_health(cur, source_id, False, clock.now())
    if was.failing:
        log.info("source %s recovered after failing since %s", source_id, was.failing_since)
    log.debug("source %s (%s): read %d, loaded %d, quarantined %d", source_id, source.kind, *counts)
    return RunResult(run_id, source_id, "ok", *counts)


def _run(db, config: Config, source_id: str, run_id: int, started: datetime, clock: Clock, counts: list[int]) -> None:
    source = config.sources[source_id]
    dataset = config.datasets[source.dataset]
    try:
        conn = connector(source.kind)
    except KeyError:
        raise ConfigError(f"未知的接入方式 {source.kind}") from None
    try:
        settings = conn.settings.model_validate(source.settings)
    except ValidationError as exc:
        raise ConfigError(f"接入设置有误：{_first_error(exc)}") from None
    tz = dataset.timezone or config.city.timezone
    timed = conn.time_cursor_for(settings)
    stored = store.state(db, source_id).cursor
    since = None
    if timed and stored:
        since = datetime.fromisoformat(stored) - duration(source.lag)
    budget = duration(source.timeout).total_seconds()
    ctx = FetchContext(source_id, stored, since, started, started + timedelta(seconds=budget),
                       min(budget, 60.0), tuple(dataset.columns), tz, db, dataset.area, dataset.time)
    areas = store.known_areas(db) if dataset.area else None
    begun = time.monotonic()
    for batch in conn.fetch(settings, ctx):
        _store_batch(db, config, source_id, run_id, batch, started, timed, tz, areas, counts)
        if time.monotonic() - begun > budget:
            raise TransientError(f"运行超过 {source.timeout} 的时限，已保存完成的部分，下次从断点继续")
    if dataset.write == "replace":
        with db.transaction() as cur:
            counts[1] = store.swap_replace(cur, source.dataset, run_id)
            db.bump(cur, "data")
            db.bump(cur, f"dataset:{source.dataset}")


def _store_batch(db, config: Config, source_id: str, run_id: int, batch: Batch, started: datetime,
                 timed: bool, tz: str, areas, counts: list[int]) -> None:
    source = config.sources[source_id]
    dataset = config.datasets[source.dataset]
    now = started
    result = normalise(batch.rows, dataset, tz, areas, source_id, now)
    bad = result.bad + [(r.raw, r.reason) for r in batch.rejects]
    cursor = batch.cursor
    if timed and cursor is not None:
        cursor = min(datetime.fromisoformat(cursor), started).isoformat()
    with db.transaction() as cur:
        if dataset.write == "replace":
            store.stage_for_replace(db, cur, source.dataset, run_id, result.good)
            loaded = 0
        else:
            loaded = store.write_rows(db, cur, source.dataset, result.good, dataset.primary_key, dataset.write)
        store.quarantine_rows(cur, source_id, run_id, bad, now)
        if cursor is not None:
            store.save_cursor(cur, source_id, cursor, now)
        read = batch.rows.height + len(batch.rejects)
        store.count_batch(cur, run_id, read, loaded, len(bad), cursor)
        if loaded:
            db.bump(cur, "data")
            db.bump(cur, f"dataset:{source.dataset}")
    counts[0] += batch.rows.height + len(batch.rejects)
    counts[1] += loaded
    counts[2] += len(bad)
    log.debug("source %s: batch committed (read %d, loaded %d, quarantined %d)", source_id, read, loaded, len(bad))
    if batch.on_commit is not None:
        batch.on_commit()


def _fail(db, source_id: str, run_id: int, now: datetime, kind: str, message: str, exc: Exception) -> None:
    was = store.state(db, source_id)
    with db.transaction() as cur:
        store.finish_run(cur, run_id, now, "failed", kind, message)
        store.mark_health(cur, source_id, True, now, message, kind)
    if kind == "bug":
        # A bug is logged with its traceback every time: it needs a developer, not a retry.
        log.error("source %s: %s", source_id, message, exc_info=exc)
    elif not was.failing:
        log.warning("source %s started failing (%s): %s", source_id, kind, message)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    path = ".".join(str(p) for p in err["loc"])
    return f"{path}: {err['msg']}" if path else err["msg"]
