"""http_json against a real loopback server: retries, auth, timeouts, invalid JSON, the Open311 preset."""

from __future__ import annotations

import json

from connectors import store
from connectors.runner import run_source

DATASET = {"name": "工单", "columns": {"id": {"type": "string", "required": True}, "n": {"type": "integer"}},
           "primary_key": ["id"]}
RECORDS = [{"id": "1", "n": 1}, {"id": "2", "n": 2}]


def _deploy(deploy, url, **settings):
    return deploy({"orders": DATASET}, {"api": {"name": "热线接口", "kind": "http_json", "dataset": "orders",
                                                "settings": {"url": url, "backoff_seconds": 0.01, **settings}}})


def test_http_500_then_success_retries_and_loads_once(deploy, http_server):
    url, script = http_server
    script.on("/orders", (500, "oops"), (503, "busy"), (200, json.dumps(RECORDS)))
    rt = _deploy(deploy, f"{url}/orders")
    result = run_source(rt.db, rt.config, "api", rt.clock)
    assert result.status == "ok" and result.rows_loaded == 2
    assert len(script.requests) == 3
    assert rt.db.rows("select count(*) from orders") == [(2,)]


def test_http_500_for_ever_is_transient_and_says_so(deploy, http_server):
    url, script = http_server
    script.on("/orders", (500, "oops"))
    rt = _deploy(deploy, f"{url}/orders", max_retries=2)
    result = run_source(rt.db, rt.config, "api", rt.clock)
    assert result.error_kind == "transient" and "HTTP 500" in result.error and "已重试 2 次" in result.error


def test_401_is_a_config_error_without_the_key_in_the_message(deploy, http_server):
    url, script = http_server
    script.on("/orders", (401, '{"error": "bad key"}'))
    rt = _deploy(deploy, f"{url}/orders", auth="app_key", app_key="s3cret-KEY", app_key_in="query",
                 app_key_name="api_key")
    result = run_source(rt.db, rt.config, "api", rt.clock)
    assert result.error_kind == "config" and "HTTP 401" in result.error
    assert script.requests[0]["query"]["api_key"] == ["s3cret-KEY"]
    stored = rt.db.rows("select error from source_runs")[0][0] + str(store.state(rt.db, "api"))
    assert "s3cret" not in stored and "s3cret" not in result.error


def test_bearer_token_is_fetched_and_refreshed_on_401(deploy, http_server):
    url, script = http_server
    tokens = iter(["t1", "t2"])
    script.on("/token", (200, lambda _q, _h: json.dumps({"access_token": next(tokens), "expires_in": 60})))
    script.routes["/orders"] = [(401, "{}", {}), (200, lambda _q, h: json.dumps(RECORDS)
                                                   if h.get("Authorization") == "Bearer t2" else "[]", {})]
    rt = _deploy(deploy, f"{url}/orders", auth="bearer", token_url=f"{url}/token", client_id="cockpit",
                 client_secret="shh")
    result = run_source(rt.db, rt.config, "api", rt.clock)
    assert result.status == "ok" and result.rows_loaded == 2
    assert [r["path"] for r in script.requests] == ["/token", "/orders", "/token", "/orders"]
    assert "client_secret=shh" in script.requests[0]["body"]


def test_timeout_is_transient(deploy, http_server):
    url, script = http_server
    script.json("/orders", RECORDS)
    script.delay = 1.0
    rt = _deploy(deploy, f"{url}/orders", request_timeout=0.2, max_retries=1)
    result = run_source(rt.db, rt.config, "api", rt.clock)
    assert result.error_kind == "transient" and "超时" in result.error
    assert rt.db.rows("select count(*) from orders") == [(0,)]


def test_invalid_json_is_quarantined_and_the_run_fails_transiently(deploy, http_server):
    url, script = http_server
    script.on("/orders", (200, "{not json at all"))
    rt = _deploy(deploy, f"{url}/orders")
    result = run_source(rt.db, rt.config, "api", rt.clock)
    assert result.error_kind == "transient" and "不是有效的 JSON" in result.error
    q = store.quarantined(rt.db, "api")
    assert q.height == 1 and "{not json at all" in q.item(0, "raw")


def test_offset_and_cursor_paging(deploy, http_server):
    url, script = http_server
    rows = [{"id": str(i), "n": i} for i in range(7)]
    script.on("/off", (200, lambda q, _h: json.dumps(
        {"rows": rows[int(q["offset"][0]): int(q["offset"][0]) + int(q["limit"][0])]})))
    script.on("/cur", (200, lambda q, _h: json.dumps(
        {"items": rows[int(q.get("after", ["0"])[0]): int(q.get("after", ["0"])[0]) + 3],
         "meta": {"next": str(int(q.get("after", ["0"])[0]) + 3) if int(q.get("after", ["0"])[0]) + 3 < 7 else None}})))
    rt = _deploy(deploy, f"{url}/off", paging="offset", size_param="limit", page_size=3, records_path="rows")
    assert run_source(rt.db, rt.config, "api", rt.clock).rows_loaded == 7
    rt = deploy({"orders": DATASET}, {"api": {"name": "热线接口", "kind": "http_json", "dataset": "orders",
                                              "settings": {"url": f"{url}/cur", "paging": "cursor",
                                                           "cursor_param": "after", "records_path": "items",
                                                           "next_cursor_path": "meta.next"}}})
    result = run_source(rt.db, rt.config, "api", rt.clock)
    assert result.rows_read == 7 and rt.db.rows("select count(*) from orders") == [(7,)]
