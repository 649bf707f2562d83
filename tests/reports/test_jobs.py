"""Scheduled briefings: one cron job per kind from `reports.schedules`, each covering the last complete period."""

from __future__ import annotations

from cockpit.core.config.reports import ReportsConfig, ScheduleConfig
from cockpit.reports.jobs import generate_last_period, jobs
from cockpit.reports.store import briefing


def test_cron_jobs_follow_the_configuration(rt, tmp_path):
    found = {j.id: j for j in jobs(rt.config, rt.db, tmp_path, rt.clock)}
    assert found["reports.daily"].trigger == "cron" and found["reports.daily"].trigger_args == {"hour": 7, "minute": 30}
    assert found["reports.weekly"].trigger_args == {"hour": 8, "minute": 0, "day_of_week": "mon"}
    assert found["reports.monthly"].trigger_args == {"hour": 8, "minute": 30, "day": "1"}
    off = rt.config.model_copy(update={"reports": ReportsConfig(schedules={"daily": ScheduleConfig(enabled=False)})})
    assert jobs(off, rt.db, tmp_path, rt.clock) == []


def test_scheduled_weekly_covers_the_week_that_ended(rt, tmp_path):
    city_only = rt.config.model_copy(update={"reports": rt.config.reports.model_copy(update={"areas": "city"})})
    done = generate_last_period(rt.db, city_only, tmp_path, "weekly", rt.clock)  # Monday 23 November
    assert [e["briefing_id"] for e in done] == ["weekly-321200-20261116"]
    stored = briefing(rt.db, "weekly-321200-20261116")
    assert stored["generated_by"] == "scheduler" and stored["public"] is True and stored["issue_no"] == 47
    assert (tmp_path / stored["folder"] / "weekly-321200-20261116.pdf").exists()
