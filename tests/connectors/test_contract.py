"""The connector contract, run over every registered kind against a real source of that kind.

Each harness delivers rows the way a department's system would (a file in a folder, rows in an
exchange database, records behind an HTTP API, messages on a broker). Every kind must then: load
them; load nothing twice when run again; apply an update and a new row; quarantine a bad row while
loading the good rows beside it; and record each run.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import time
import uuid
from datetime import UTC, datetime

import pytest

from connectors import store
from connectors.base import kinds
from connectors.runner import run_source

DATASET = {
    "name": "契约测试",
    "columns": {"id": {"type": "string", "required": True}, "area": {"type": "string"},
                "value": {"type": "float"}, "updated": {"type": "timestamp", "required": True}},
    "primary_key": ["id"], "time": "updated", "area": "area",
}
FIRST = [{"id": "a", "area": "321202001", "value": "1.5", "updated": "2026-03-02 10:00:00"},
         {"id": "b", "area": "321202002", "value": "2", "updated": "2026-03-02 10:05:00"},
         {"id": "c", "area": "321203", "value": "3", "updated": "2026-03-02 10:10:00"}]
SECOND = [{"id": "b", "area": "321202002", "value": "20", "updated": "2026-03-02 11:00:00"},
          {"id": "d", "area": "321204", "value": "4", "updated": "2026-03-02 11:05:00"}]
BAD = [{"id": "e", "area": "321202001", "value": "abc", "updated": "2026-03-02 11:10:00"},
       {"id": "f", "area": "321202001", "value": "6", "updated": "2026-03-02 11:15:00"}]


class FileHarness:
    def __init__(self, tmp_path):
        self.folder = tmp_path / "drop"
        self.folder.mkdir()
        self.n = 0

    def settings(self):
        return {"path": str(self.folder), "columns": {"编号": "id", "街道": "area", "数值": "value", "更新时间": "updated"}}

    def deliver(self, rows):
        self.n += 1
        with (self.folder / f"{self.n:03d}.csv").open("w", encoding="gb18030", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["编号", "街道", "数值", "更新时间"])
            w.writerows([[r["id"], r["area"], r["value"], r["updated"]] for r in rows])


class SqlHarness:
    def __init__(self, tmp_path, driver, require):
        self.driver = driver
        self.table = unique("contract")
        if driver == "sqlite":
            self.path = str(tmp_path / "exchange.sqlite")
            self.conn = sqlite3.connect(self.path)
            ddl = f"create table {self.table} (id text primary key, area text, value text, updated text)"
        elif driver == "postgresql":
            require("127.0.0.1", 5432, "PostgreSQL")
            import psycopg

            self.conn = psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True)
            ddl = f"create table {self.table} (id text primary key, area text, value numeric, updated timestamp)"
        else:
            require("127.0.0.1", 3306, "MariaDB")
            import pymysql

            self.conn = pymysql.connect(host="127.0.0.1", port=3306, user="root", password="", database="test",
                                        autocommit=True)
            ddl = (f"create table {self.table} (id varchar(20) primary key, area varchar(12), value varchar(20), "
                   "updated datetime)")
        self._exec(ddl)

    def _exec(self, sql, params=()):
        cur = self.conn.cursor()
        cur.execute(sql, params)
        if self.driver == "sqlite":
            self.conn.commit()

    def settings(self):
        base = {"driver": self.driver, "table": self.table, "cursor_column": "updated", "batch_rows": 2}
        if self.driver == "sqlite":
            return base | {"database": self.path}
        if self.driver == "postgresql":
            return base | {"database": "test", "user": "postgres", "port": 5432}
        return base | {"database": "test", "user": "root", "port": 3306}

    def deliver(self, rows):
        q = "?" if self.driver == "sqlite" else "%s"
        for r in rows:
            value = r["value"]
            if self.driver == "postgresql" and not _is_number(value):
                value = None  # a numeric column cannot hold text: the bad row is a missing value here
            self._exec(f"delete from {self.table} where id = {q}", (r["id"],))
            self._exec(f"insert into {self.table} values ({q}, {q}, {q}, {q})",
                       (r["id"], r["area"], value, r["updated"]))

    def close(self):
        if self.driver != "sqlite":
            self._exec(f"drop table {self.table}")
        self.conn.close()


class HttpHarness:
    def __init__(self, server):
        self.url, self.script = server
        self.records = {}

        def page(query, _headers):
            since = query.get("since", [None])[0]
            rows = sorted(self.records.values(), key=lambda r: r["updated"])
            if since:
                rows = [r for r in rows if r["updated_utc"] >= since]
            n, size = int(query["page"][0]), int(query["size"][0])
            chunk = rows[(n - 1) * size: n * size]
            return json.dumps({"data": {"items": [{k: v for k, v in r.items() if k != "updated_utc"}
                                                  for r in chunk]}})

        self.script.on("/api/records", (200, page))

    def settings(self):
        return {"url": f"{self.url}/api/records", "records_path": "data.items", "paging": "page", "page_param": "page",
                "size_param": "size", "page_size": 2, "since_param": "since", "cursor_field": "updated",
                "auth": "app_key", "app_key": "k-123", "backoff_seconds": 0.01}

    def deliver(self, rows):
        for r in rows:
            utc = datetime.fromisoformat(r["updated"] + "+08:00").astimezone(UTC)
            self.records[r["id"]] = {**r, "value": _json_number(r["value"]),
                                     "updated_utc": utc.strftime("%Y-%m-%dT%H:%M:%SZ")}


class MqttHarness:
    def __init__(self, require):
        require("127.0.0.1", 1883, "Mosquitto")
        import paho.mqtt.client as mqtt

        self.mqtt = mqtt
        self.topic = f"test/{unique('contract')}"
        self.client_id = f"cockpit-test-{uuid.uuid4().hex[:8]}"
        # Create the broker-side persistent session so messages published between runs are kept.
        c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=self.client_id, clean_session=False,
                        protocol=mqtt.MQTTv311)
        c.connect("127.0.0.1", 1883)
        c.loop_start()
        c.subscribe(f"{self.topic}/#", qos=1)[1]
        time.sleep(0.2)
        c.loop_stop()
        c.disconnect()

    def settings(self):
        return {"topics": [f"{self.topic}/#"], "client_id": self.client_id, "listen_seconds": 5,
                "idle_seconds": 0.7, "batch_size": 2}

    def deliver(self, rows):
        c = self.mqtt.Client(self.mqtt.CallbackAPIVersion.VERSION2, protocol=self.mqtt.MQTTv311)
        c.connect("127.0.0.1", 1883)
        c.loop_start()
        for r in rows:
            c.publish(f"{self.topic}/{r['id']}", json.dumps(r), qos=1).wait_for_publish(5)
        c.loop_stop()
        c.disconnect()


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def _json_number(text):
    return float(text) if _is_number(text) else text


def unique(prefix):
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


HARNESSES = {
    "file_drop": ["file_drop"],
    "sql": ["sql-sqlite", "sql-postgresql", "sql-mysql"],
    "http_json": ["http_json"],
    "mqtt": ["mqtt"],
}
CASES = [case for cases in HARNESSES.values() for case in cases]
# Kinds fed by the app itself, not by an outside system: their rows are checked when typed in (never
# quarantined), so they have their own suite for load / no doubles / replace / runs recorded.
APP_FED = {"manual_form": "tests/connectors/test_manual_form.py"}


def test_every_registered_kind_is_in_the_contract_suite():
    assert set(kinds()) <= set(HARNESSES) | set(APP_FED), "add a harness for each new connector kind"


@pytest.fixture(params=CASES)
def harness(request, tmp_path, http_server, need):
    case = request.param
    if case == "file_drop":
        h = FileHarness(tmp_path)
    elif case.startswith("sql-"):
        h = SqlHarness(tmp_path, case.removeprefix("sql-"), need)
    elif case == "http_json":
        h = HttpHarness(http_server)
    else:
        h = MqttHarness(need)
    h.kind = case.split("-")[0]
    yield h
    if hasattr(h, "close"):
        h.close()


def test_contract(harness, deploy, clock):
    rt = deploy({"contract": DATASET}, {"src": {"name": "契约源", "kind": harness.kind, "dataset": "contract",
                                                "lag": "10m", "settings": harness.settings()}})

    harness.deliver(FIRST)
    first = run_source(rt.db, rt.config, "src", rt.clock)
    assert first.status == "ok", first.error
    assert first.rows_loaded == 3 and first.rows_quarantined == 0
    assert _table(rt) == [("a", 1.5), ("b", 2.0), ("c", 3.0)]

    clock.advance(minutes=15)
    again = run_source(rt.db, rt.config, "src", rt.clock)
    assert again.status == "ok" and again.rows_quarantined == 0
    assert _table(rt) == [("a", 1.5), ("b", 2.0), ("c", 3.0)]   # nothing doubled

    harness.deliver(SECOND)
    clock.advance(minutes=15)
    third = run_source(rt.db, rt.config, "src", rt.clock)
    assert third.status == "ok", third.error
    assert _table(rt) == [("a", 1.5), ("b", 20.0), ("c", 3.0), ("d", 4.0)]

    harness.deliver(BAD)
    clock.advance(minutes=15)
    fourth = run_source(rt.db, rt.config, "src", rt.clock)
    assert fourth.status == "ok", fourth.error
    assert ("f", 6.0) in _table(rt)
    bad = store.quarantined(rt.db, "src")
    if harness.kind == "sql" and harness.driver == "postgresql":
        assert ("e", None) in _table(rt)      # the typed column delivered no text to reject
    else:
        assert bad.height == 1 and "abc" in bad.item(0, "reason") and '"e"' in bad.item(0, "raw")
    runs = rt.db.rows("select status from source_runs where source_id = 'src' order by run_id")
    assert runs == [("ok",)] * 4
    ts = rt.db.one("select updated from contract where id = 'a'")[0]
    assert ts.utcoffset() is not None and ts.isoformat().startswith("2026-03-02T02:00:00")


def _table(rt):
    return rt.db.rows("select id, value from contract order by id")
