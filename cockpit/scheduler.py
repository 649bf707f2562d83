"""Composition root: the in-process APScheduler that runs every room's jobs."""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler

from cockpit.bootstrap import Runtime, scheduled_jobs

log = logging.getLogger(__name__)


def start_scheduler(runtime: Runtime) -> BackgroundScheduler:
    """Start a BackgroundScheduler with every job; one instance per job, missed runs coalesced."""
    tz = runtime.config.scheduler.timezone or runtime.config.city.timezone
    scheduler = BackgroundScheduler(
        timezone=tz, job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": 300}
    )
    for job in scheduled_jobs(runtime):
        args = dict(job.trigger_args)
        if job.jitter_seconds:
            args["jitter"] = job.jitter_seconds
        scheduler.add_job(job.func, job.trigger, id=job.id, name=job.id, replace_existing=True, **args)
    scheduler.start()
    log.info("scheduler started with %d jobs", len(scheduler.get_jobs()))
    return scheduler
