"""A restart neither sends twice nor drops: read positions, open warnings and pending retries live in the file."""

from __future__ import annotations

from alerts import schema as alerts_schema
from cockpit import bootstrap
from cockpit.core.clock import FixedClock
from tests.alerts.notify.conftest import (
    JIANGYAN,
    MONDAY_10AM,
    notifications,
    notifier,
    warning_event,
    with_notifications,
)
from tests.conftest import write_config


def start(folder):
    rt = bootstrap.open_runtime(folder / "config.yaml", clock=FixedClock(MONDAY_10AM))
    rt.db.migrate(alerts_schema.MIGRATIONS)
    return rt


def test_restart_resumes_after_the_last_event_sent(tmp_path, http):
    write_config(tmp_path)
    cfg = {"receivers": {"desk": {"channel": "webhook", "url": f"{http.url}/desk"}},
           "retry": {"backoff": "30s"}, "route": {"receivers": ["desk"], "repeat_interval": "4h"}}
    rt = start(tmp_path)
    run = notifier(rt, with_notifications(rt, cfg)).run_once
    warning_event(rt, "firing", "orange")
    run()
    http.fail["/desk"] = [500]
    warning_event(rt, "firing", "yellow", area=JIANGYAN)
    run()  # the second one failed once and waits for its retry
    warning_event(rt, "firing", "red")  # written while the notifier is down
    rt.db.close()

    rt = start(tmp_path)
    rt.clock.advance(seconds=30)
    run = notifier(rt, with_notifications(rt, cfg)).run_once
    run()
    run()
    assert sorted(r.json()["level"] for r in http.at("/desk")) == ["orange", "red", "yellow"]
    assert [(n["level"], n["status"]) for n in notifications(rt)] == [("orange", "sent"), ("yellow", "sent"),
                                                                        ("red", "sent")]
    rt.clock.advance(hours=4)  # repeats come from the stored open warnings, once each
    run()
    run()
    assert sorted(r.json()["reason"] for r in http.at("/desk")) == ["first"] * 3 + ["repeat"] * 3
    rt.db.close()
