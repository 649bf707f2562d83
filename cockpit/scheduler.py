"""Composition root: the in-process APScheduler that runs every room's jobs."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from cockpit.bootstrap import Runtime, scheduled_jobs

log = logging.getLogger(__name__)


def start_scheduler(runtime: Runtime) -> BackgroundScheduler:
    """Start a BackgroundScheduler with every job; one instance per job, missed runs coalesced."""
    tz = runtime.config.scheduler.timezone or runtime.config.city.timezone
    scheduler = BackgroundScheduler(
        timezone=tz, job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": 300}
    )
    waker = Waker(scheduler, EVALUATE_JOB)
    for job in scheduled_jobs(runtime):
        args = dict(job.trigger_args)
        if job.jitter_seconds:
            args["jitter"] = job.jitter_seconds
        func = waker.after(job.func) if job.id.startswith(INGEST_PREFIX) else (
            waker.target(job.func) if job.id == EVALUATE_JOB else job.func)
        scheduler.add_job(func, job.trigger, id=job.id, name=job.id, replace_existing=True, **args)
    scheduler.add_job(_beat, "interval", args=[id(scheduler)], seconds=HEARTBEAT_SECONDS, id="scheduler.heartbeat",
                      name="scheduler.heartbeat", next_run_time=datetime.now(UTC), replace_existing=True)
    _beats[id(scheduler)] = time.monotonic()
    _started.append(scheduler)
    scheduler.start()
    log.info("scheduler started with %d jobs", len(scheduler.get_jobs()))
    return scheduler


HEARTBEAT_SECONDS = 15
INGEST_PREFIX, EVALUATE_JOB = "ingest:", "indicators.evaluate"


class Waker:
    """Brings job `job_id` forward when another job loaded rows: new data reaches the indicators (and the warnings
    chained after them) within seconds, not at the next interval. A wake that comes while the job runs is kept and
    served right after it, so rows that landed mid-run are never left for the next interval."""

    RERUN_DELAY = timedelta(seconds=1)  # lets the scheduler see the finished instance before the re-run is due

    def __init__(self, scheduler: BackgroundScheduler, job_id: str):
        self.scheduler, self.job_id = scheduler, job_id
        self._lock = threading.Lock()
        self._running = self._pending = False

    def after(self, func):
        """`func` (a source run), then a wake when its result says it loaded rows."""

        def run():
            result = func()
            if getattr(result, "rows_loaded", 0):
                self.wake()
            return result

        run.__name__ = getattr(func, "__name__", "run")
        return run

    def target(self, func):
        """`func` (the woken job), recording that it runs, and re-run once soon if woken meanwhile."""

        def run():
            with self._lock:
                self._running, self._pending = True, False
            try:
                return func()
            finally:
                with self._lock:
                    self._running, again = False, self._pending
                if again:
                    self._bring_forward(self.RERUN_DELAY)

        run.__name__ = getattr(func, "__name__", "run")
        return run

    def wake(self) -> None:
        """Run the job now, or right after the run in progress."""
        with self._lock:
            if self._running:
                self._pending = True
                return
        self._bring_forward(timedelta(0))

    def _bring_forward(self, delay: timedelta) -> None:
        job = self.scheduler.get_job(self.job_id)
        if job is not None:
            job.modify(next_run_time=datetime.now(UTC) + delay)
_beats: dict[int, float] = {}
_started: list[BackgroundScheduler] = []     # schedulers started in this process (the demo starts one late)


def _beat(key: int) -> None:
    _beats[key] = time.monotonic()


def scheduler_health(scheduler: BackgroundScheduler | None = None) -> dict:
    """The scheduler's entry of /healthz: `ok`, `stopped` (shut down or crashed) or `stalled` (its heartbeat job
    has not run for three beats: every worker thread is stuck). `scheduler` None: the one this process started
    last (`cockpit demo` starts it once the simulated city's history is in). Empty when there is none."""
    scheduler = scheduler or (_started[-1] if _started else None)
    if scheduler is None:
        return {}
    if not scheduler.running:
        return {"scheduler": "stopped"}
    beat = _beats.get(id(scheduler))
    if beat is None or time.monotonic() - beat > 3 * HEARTBEAT_SECONDS:
        return {"scheduler": "stalled"}
    return {"scheduler": "ok"}
