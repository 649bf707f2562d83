"""The watchdog (a fetch that ignores its timeout is reported once and marked), the source_freshness table the
warning engine reads, 及时率, and "run now" never running a source twice at once."""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from connectors import store
from connectors.health import timeliness
from connectors.runner import is_running_here, run_source, try_run_source
from connectors.watchdog import watch

DATASET = {"name": "工单", "columns": {"id": {"type": "string", "required": True}}, "primary_key": ["id"]}


def _api(deploy, url, **source):
    return deploy({"orders": DATASET}, {"api": {
        "name": "热线接口", "kind": "http_json", "dataset": "orders", "timeout": "1m",
        "freshness": {"warn_after": "2h", "error_after": "6h"},
        "settings": {"url": url, "request_timeout": 30, "max_retries": 0}} | source})


def test_a_hanging_fetch_is_reported_once_marked_hung_and_later_runs_wait(deploy, http_server, clock, caplog):
    url, script = http_server
    script.json("/orders", [{"id": "1"}])
    script.gate = threading.Event()       # the server answers when the test says so; the clock says 10 min
    rt = _api(deploy, f"{url}/orders")
    runner = threading.Thread(target=try_run_source, args=(rt.db, rt.config, "api", rt.clock))
    runner.start()
    deadline = time.monotonic() + 5
    while not store.running_runs(rt.db) and time.monotonic() < deadline:
        time.sleep(0.02)
    clock.advance(minutes=10)
    with caplog.at_level(logging.ERROR, logger="connectors.watchdog"):
        first = watch(rt.db, rt.config, clock.now())
        second = watch(rt.db, rt.config, clock.now())
    assert len(first.newly_hung) == 1 and second.newly_hung == []
    assert [r.message for r in caplog.records].count(caplog.records[0].message) == 1 and len(caplog.records) == 1
    run = store.run(rt.db, first.newly_hung[0])
    assert run["status"] == "hung" and "超过时限" in run["error"]
    [row] = store.freshness_rows(rt.db)
    assert "超过时限" in row["reason"]
    assert is_running_here("api") and try_run_source(rt.db, rt.config, "api", rt.clock) is None   # one at a time
    script.gate.set()
    runner.join(10)
    assert store.run(rt.db, first.newly_hung[0])["status"] == "ok"     # it did end in the end: recorded as such
    assert rt.db.rows("select count(*) from orders") == [(1,)]


def test_freshness_table_says_unknown_ok_warn_error_never_zero(deploy, http_server, clock):
    url, script = http_server
    script.json("/orders", [{"id": "1"}])
    rt = _api(deploy, f"{url}/orders")
    watch(rt.db, rt.config, clock.now())
    [row] = store.freshness_rows(rt.db)
    assert row["level"] == "unknown" and row["last_success_at"] is None
    assert run_source(rt.db, rt.config, "api", rt.clock).status == "ok"
    watch(rt.db, rt.config, clock.now())
    assert store.freshness_rows(rt.db)[0]["level"] == "ok"
    script.on("/orders", (500, "down"))
    clock.advance(hours=3)
    assert run_source(rt.db, rt.config, "api", rt.clock).status == "failed"
    watch(rt.db, rt.config, clock.now())
    [warn] = store.freshness_rows(rt.db)
    assert (warn["level"], warn["source_name"], warn["dataset"]) == ("warn", "热线接口", "orders")
    assert warn["reason"].startswith("数据断流") and warn["silent_for_seconds"] == 3 * 3600
    clock.advance(hours=4)
    watch(rt.db, rt.config, clock.now())
    assert store.freshness_rows(rt.db)[0]["level"] == "error"


def test_timeliness_counts_slots_delivered_on_time(deploy, http_server, clock):
    url, script = http_server
    script.json("/orders", [{"id": "1"}])
    rt = _api(deploy, f"{url}/orders", schedule="1h")
    for _ in range(4):                     # four hourly runs on time
        assert run_source(rt.db, rt.config, "api", rt.clock).status == "ok"
        clock.advance(hours=1)
    clock.advance(hours=2, minutes=30)     # two and a half hours without a run: two slots missed
    assert run_source(rt.db, rt.config, "api", rt.clock).status == "ok"
    clock.advance(minutes=30)
    rate, on_time, expected = timeliness(rt.db, rt.config, "api", clock.now())
    assert (on_time, expected) == (5, 7) and rate == 5 / 7
    script.on("/orders", (500, "down"))
    clock.advance(hours=1, minutes=10)
    run_source(rt.db, rt.config, "api", rt.clock)      # a failed run is not a delivery
    assert timeliness(rt.db, rt.config, "api", clock.now())[1:] == (5, 8)
    rate, on_time, expected = timeliness(rt.db, rt.config, "api", clock.now() + timedelta(days=30))
    assert (rate, on_time) == (0.0, 0) and expected == 7 * 24 - 1   # a silent week: 0 %, not "no data"
