"""Warnings are evaluated by the scheduler right after the indicator engine, and on their own interval."""

from __future__ import annotations

from datetime import timedelta

from alerts import queries
from cockpit import bootstrap
from cockpit.core.clock import FixedClock
from tests.alerts.conftest import put_values, utc
from tests.conftest import write_config


def test_indicator_job_is_followed_by_the_warning_evaluation(tmp_path):
    clock = FixedClock(utc("2026-01-10 06:00"))
    rt = bootstrap.open_runtime(write_config(tmp_path, core_only=False), clock)
    try:
        jobs = {j.id: j for j in bootstrap.scheduled_jobs(rt)}
        assert jobs["alerts.evaluate"].trigger_args == {"minutes": rt.config.alerts.evaluate_minutes}
        put_values(rt.db, "emergency.water_above_warning", "hour", "321203", {clock.now(): 1.2})
        jobs["alerts.evaluate"].func()
        row = queries.warning_queue(rt.db, rt.config, "321203", clock.now()).row(0, named=True)
        assert (row["rule_id"], row["state"], row["level"]) == ("emergency.water_above_warning", "firing", "red")
        clock.advance(hours=2)
        put_values(rt.db, "emergency.water_above_warning", "hour", "321203",
                   {clock.now() - timedelta(hours=1): -1.0, clock.now(): -1.0})
        assert jobs["indicators.evaluate"].func.__name__ == "chained"   # indicator run, then the warnings
        jobs["alerts.evaluate"].func()                  # clear since now
        clock.advance(hours=1, minutes=1)
        jobs["alerts.evaluate"].func()
        assert queries.warning_queue(rt.db, rt.config, "321203", clock.now())["state"].to_list() == ["resolved"]
    finally:
        rt.db.close()
