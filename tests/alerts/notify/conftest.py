"""A deployment for the notification tests: real DuckDB file, the lifecycle's tables, local receivers."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from alerts import schema as alerts_schema
from alerts import store as alerts_store
from alerts.model import Event, Instance
from alerts.notify.jobs import Notifier
from cockpit import bootstrap
from cockpit.core.clock import FixedClock
from cockpit.core.config.notifications import NotificationsConfig
from tests.alerts.notify.receivers import start_http_receiver, start_smtp_receiver
from tests.conftest import free_port, write_config

# Monday 23 November 2026, 10:00 in Taizhou (02:00 UTC).
MONDAY_10AM = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
HAILING, STREET, JIANGYAN = "321202", "321202001", "321204"
_warning_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def base_runtime(tmp_path_factory):
    """The demo configuration (indicators included) on a fresh database file."""
    folder = tmp_path_factory.mktemp("notify")
    rt = bootstrap.open_runtime(write_config(folder, core_only=False), clock=FixedClock(MONDAY_10AM))
    rt.db.migrate(alerts_schema.MIGRATIONS)  # already there once the lifecycle is registered in bootstrap
    yield rt
    rt.db.close()


@pytest.fixture
def rt(base_runtime):
    """The shared runtime with its clock back at Monday 10:00 and no notification state left from other tests."""
    base_runtime.clock = FixedClock(MONDAY_10AM)
    with base_runtime.db.transaction() as cur:
        for table in ("notifications", "notification_open", "notification_acks", "warning_events"):
            cur.execute(f"delete from {table}")
        last = cur.execute("select coalesce(max(event_id), 0) from task_events").fetchall()[0][0]
        cur.execute("delete from notification_cursors")
        cur.execute("insert into notification_cursors values ('tasks', ?, now())", [last])
    return base_runtime


@pytest.fixture
def http():
    """An HTTP receiver (webhook, robots, SMS gateway) on a free loopback port."""
    receiver = start_http_receiver()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture(scope="module")
def smtp():
    """An SMTP server on a free loopback port."""
    receiver = start_smtp_receiver(free_port())
    yield receiver
    receiver.controller.stop()


def with_notifications(rt, settings: dict):
    """The runtime's configuration with this `notifications` section (validated like the YAML)."""
    return rt.config.model_copy(update={"notifications": NotificationsConfig.model_validate(settings)})


def notifier(rt, config, feeds=None) -> Notifier:
    """The notifier as the scheduler runs it, reading the warning feed (and given feeds)."""
    return Notifier(rt.db, config, rt.clock, feeds if feeds is not None else bootstrap.notification_feeds(config))


def warning_event(rt, kind: str, level: str | None = "yellow", *, warning: str | None = None,
                  area: str = STREET, indicator: str = "env.aqi", domain: str = "生态环保",
                  from_state: str = "pending", to_state: str = "firing", prev_level: str | None = None,
                  tier: str | None = None, silenced: bool = False) -> str:
    """Append one `warning_events` row through the lifecycle's own store; returns the warning id."""
    warning = warning or f"W-test-{next(_warning_numbers)}"
    inst = Instance(rule_id=indicator, area_code=area, indicator_id=indicator, domain=domain, warning_id=warning,
                    state=to_state, level=level, value=168.0, threshold=150.0)
    event = Event(kind=kind, at=rt.clock.now(), from_state=from_state, to_state=to_state, level=level,
                  prev_level=prev_level, reason="Held above the threshold for {duration}", args={"duration": "2h"},
                  tier=tier)
    with rt.db.transaction() as cur:
        alerts_store.insert_event(cur, inst, event, rt.clock.now(), silenced)
    return warning


def notifications(rt) -> list[dict]:
    """Every stored notification, oldest first."""
    from alerts.notify import store

    return list(reversed(store.notifications_in(rt.db, None, limit=1000)))
