"""A generated briefing is announced through the notification channels: a message with its links and files."""

from __future__ import annotations

from datetime import date

from alerts.notify import planner
from alerts.notify.queries import notification_log
from cockpit import bootstrap
from cockpit.core import store as core_store
from cockpit.core.config.notifications import NotificationsConfig
from cockpit.reports import archive
from tests.reports.conftest import NOW


def test_briefing_message_names_the_issue_and_links_its_files(rt, tmp_path):
    entry = archive.generate(rt.db, rt.config, tmp_path, "weekly", "321202", date(2026, 11, 22), rt.clock)
    msg = archive.message(entry, rt.config, "https://cockpit.example/")
    assert msg["title"] == "海陵区城市运行周报" and msg["text"] == "2026年第47期"
    assert msg["links"]["pdf"] == f"https://cockpit.example/briefings/{entry['briefing_id']}.pdf"
    assert all((tmp_path / path).exists() for path in msg["files"].values())


def _with_receiver(config):
    notifications = NotificationsConfig.model_validate({
        "receivers": {"city_duty_webhook": {"channel": "webhook", "url": "http://127.0.0.1:9/hook"}},
        "route": {"receivers": ["city_duty_webhook"], "group_wait": "0s"}})
    return config.model_copy(update={"notifications": notifications})


def test_new_briefings_are_queued_for_the_receivers(rt, tmp_path):
    config = _with_receiver(rt.config)
    entry = archive.generate(rt.db, config, tmp_path, "daily", "321200", date(2026, 11, 22), rt.clock)
    report = planner.plan(rt.db, config, bootstrap.notification_feeds(config), NOW)
    assert report.queued >= 1
    operator = core_store.user(rt.db, "op_city")
    log = notification_log(rt.db, operator)
    sent = [row for row in log if row["kind"] == "briefing"]
    assert sent and sent[0]["title"] == "泰州市城市运行日报" and sent[0]["status"] == "pending"
    assert sent[0]["receiver"] == "city_duty_webhook"
    again = planner.plan(rt.db, config, bootstrap.notification_feeds(config), NOW)
    assert again.events == 0  # each generation is announced once
    assert entry["briefing_id"].startswith("daily-321200-")
