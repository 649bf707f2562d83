"""The desk the 数据接入 page uses: run now (in the background, one at a time, audited), the quarantine browser
only for the city center's operators (not the administrator: the rows are business data), hung runs shown."""

from __future__ import annotations

import json
import threading
import time

import pytest

from cockpit.core.store import User
from connectors.desk import Desk, NotAllowed
from connectors.watchdog import watch

DATASET = {"name": "工单", "columns": {"id": {"type": "string", "required": True}, "n": {"type": "integer"}},
           "primary_key": ["id"]}


def user(role: str, area: str = "321200", user_id: str = "u1") -> User:
    return User(user_id, "测试", role, None, area, None, False, 0, None, False)


def _deploy(deploy, url):
    return deploy({"orders": DATASET}, {"api": {"name": "热线接口", "kind": "http_json", "dataset": "orders",
                                                "timeout": "1m", "settings": {"url": url, "max_retries": 0}}})


def _wait(desk, who, until, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        rows = desk.sources(who)
        if until(rows[0]):
            return rows[0]
        time.sleep(0.05)
    raise AssertionError(f"not reached: {rows[0]}")


def test_run_now_runs_in_the_background_once_at_a_time_and_is_audited(deploy, http_server):
    url, script = http_server
    script.json("/orders", [{"id": "1", "n": 1}, {"id": "2", "n": "x"}])
    script.delay = 1.0
    rt = _deploy(deploy, f"{url}/orders")
    desk = Desk(rt.db, rt.config, rt.clock)
    admin = user("admin", user_id="admin")
    began = time.monotonic()
    assert desk.run_now(admin, "api") is True
    assert time.monotonic() - began < 0.5                   # the request does not wait for the run
    assert desk.run_now(admin, "api") is False              # one run of a source at a time
    _wait(desk, admin, lambda r: r["last_success"] is not None and not r["running"])
    rt.clock.advance(minutes=1)
    row = desk.sources(admin)[0]
    assert (row["rows_loaded_today"], row["rows_quarantined_today"], row["quarantine_waiting"]) == (1, 1, 1)
    assert row["timeliness"] == 1.0 and row["kind"] == "http_json"
    audit = rt.db.rows("select action, object, outcome from audit_log order by seq")
    assert audit == [("source.run_now", "source:api", "ok"), ("source.run_now", "source:api", "failed")]
    with pytest.raises(NotAllowed):
        desk.run_now(user("duty_officer"), "api")
    with pytest.raises(NotAllowed):
        desk.run_now(admin, "no_such_source")


def test_quarantined_rows_are_for_the_city_operator_only(deploy, http_server):
    url, script = http_server
    script.json("/orders", [{"id": "1", "n": "十三"}])
    rt = _deploy(deploy, f"{url}/orders")
    desk = Desk(rt.db, rt.config, rt.clock)
    desk.run_now(user("admin"), "api")
    _wait(desk, user("admin"), lambda r: r["quarantine_waiting"] == 1)
    rows, total = desk.quarantine(user("center_operator"), "api", 0)
    assert total == 1 and "十三" in rows[0]["reason"] and json.loads(rows[0]["raw"])["n"] == "十三"
    for who in (user("admin"), user("center_operator", "321202"), user("duty_officer"), user("auditor")):
        with pytest.raises(NotAllowed):
            desk.quarantine(who, "api", 0)
    assert ("source.quarantine.view", "source:api") in rt.db.rows("select action, object from audit_log")


def test_a_hung_run_shows_on_the_page(deploy, http_server, clock):
    url, script = http_server
    script.json("/orders", [{"id": "1", "n": 1}])
    script.gate = threading.Event()  # the source answers only when the test says so
    rt = _deploy(deploy, f"{url}/orders")
    desk = Desk(rt.db, rt.config, rt.clock)
    operator = user("center_operator")
    desk.run_now(operator, "api")
    _wait(desk, operator, lambda r: r["running"])
    clock.advance(minutes=5)
    watch(rt.db, rt.config, clock.now())
    row = desk.sources(operator)[0]
    assert row["running"] and "超过时限" in row["hung"]
    script.gate.set()
    _wait(desk, operator, lambda r: not r["running"])
    assert desk.sources(operator)[0]["hung"] is None         # it ended after all
