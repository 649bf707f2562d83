"""Late and out-of-order rows from an exchange database, non-JSON MQTT payloads, and the config check."""

from __future__ import annotations

import sqlite3
import uuid

import paho.mqtt.client as mqtt
import pytest

from cockpit.core.config import ConfigInvalid
from connectors import store
from connectors.runner import run_source

DATASET = {"name": "网格事件", "columns": {"id": {"type": "integer", "required": True},
                                           "updated": {"type": "timestamp", "required": True},
                                           "kind": {"type": "string"}},
           "primary_key": ["id"]}


def _sqlite(tmp_path, rows):
    path = tmp_path / "exchange.sqlite"
    con = sqlite3.connect(path)
    con.execute("create table if not exists events (id integer primary key, updated text, kind text)")
    con.executemany("insert or replace into events values (?, ?, ?)", rows)
    con.commit()
    con.close()
    return str(path)


def test_late_and_out_of_order_rows_are_caught_by_the_lag(tmp_path, deploy, clock):
    path = _sqlite(tmp_path, [(1, "2026-03-02 15:00:00", "a"), (2, "2026-03-02 15:30:00", "b")])
    rt = deploy({"events": DATASET}, {"grid": {"name": "网格前置库", "kind": "sql", "dataset": "events", "lag": "30m",
                                               "settings": {"driver": "sqlite", "database": path, "table": "events",
                                                            "cursor_column": "updated"}}})
    assert run_source(rt.db, rt.config, "grid", rt.clock).rows_loaded == 2
    # A row committed late with an earlier update time (inside the lag), and one out of order.
    _sqlite(tmp_path, [(3, "2026-03-02 15:10:00", "late"), (4, "2026-03-02 15:45:00", "new"),
                       (5, "2026-03-02 14:00:00", "too late")])
    clock.advance(minutes=15)
    result = run_source(rt.db, rt.config, "grid", rt.clock)
    assert result.status == "ok"
    ids = [r[0] for r in rt.db.rows("select id from events order by id")]
    assert ids == [1, 2, 3, 4]     # 5 is older than cursor − lag: documented limit of incremental reads
    assert rt.db.one("select count(*) from events")[0] == 4   # re-read rows 2 merged, not doubled


def test_cursor_is_capped_at_the_run_start(tmp_path, deploy, clock):
    # A row stamped in the future (a clock-skewed source) must not push the cursor past the run start.
    path = _sqlite(tmp_path, [(1, "2027-01-01 00:00:00", "future")])
    rt = deploy({"events": DATASET}, {"grid": {"name": "网格前置库", "kind": "sql", "dataset": "events",
                                               "settings": {"driver": "sqlite", "database": path, "table": "events",
                                                            "cursor_column": "updated"}}})
    run_source(rt.db, rt.config, "grid", rt.clock)
    assert store.state(rt.db, "grid").cursor == clock.now().isoformat()


def test_missing_table_is_a_config_error(tmp_path, deploy):
    path = _sqlite(tmp_path, [])
    rt = deploy({"events": DATASET}, {"grid": {"name": "网格前置库", "kind": "sql", "dataset": "events",
                                               "settings": {"driver": "sqlite", "database": path, "table": "nope",
                                                            "cursor_column": "updated"}}})
    result = run_source(rt.db, rt.config, "grid", rt.clock)
    assert result.error_kind == "config" and "no such table" in result.error


def test_wrong_postgres_password_never_shows_the_password(deploy, need):
    need("127.0.0.1", 5432, "PostgreSQL")
    rt = deploy({"events": DATASET}, {"grid": {"name": "网格前置库", "kind": "sql", "dataset": "events",
                                               "settings": {"driver": "postgresql", "database": "no_such_db_x",
                                                            "user": "postgres", "password": "hunter2-secret",
                                                            "table": "events", "cursor_column": "updated"}}})
    result = run_source(rt.db, rt.config, "grid", rt.clock)
    assert result.status == "failed" and result.error_kind == "config"
    assert "hunter2" not in result.error


def test_non_json_mqtt_payload_is_quarantined_and_good_messages_load(deploy, need):
    need("127.0.0.1", 1883, "Mosquitto")
    topic = f"test/{uuid.uuid4().hex[:10]}"
    client_id = f"cockpit-test-{uuid.uuid4().hex[:8]}"
    rt = deploy({"readings": {"name": "设备读数", "columns": {"device": {"type": "string", "required": True},
                                                              "level": {"type": "float"}},
                              "primary_key": ["device"]}},
                {"iot": {"name": "水位计", "kind": "mqtt", "dataset": "readings",
                         "settings": {"topics": [f"{topic}/#"], "client_id": client_id, "listen_seconds": 3,
                                      "idle_seconds": 0.5}}})
    assert run_source(rt.db, rt.config, "iot", rt.clock).status == "ok"   # subscribes; the broker keeps the session
    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    pub.connect("127.0.0.1", 1883)
    pub.loop_start()
    for payload in ['{"device": "w1", "level": 2.5}', "level=3.1;device=w2", '[{"device": "w3", "level": 1}]']:
        pub.publish(f"{topic}/x", payload, qos=1).wait_for_publish(5)
    pub.loop_stop()
    pub.disconnect()
    result = run_source(rt.db, rt.config, "iot", rt.clock)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    q = store.quarantined(rt.db, "iot")
    assert "不是有效的 JSON" in q.item(0, "reason") and "level=3.1" in q.item(0, "raw")
    # Acknowledged after commit: nothing is delivered again.
    assert run_source(rt.db, rt.config, "iot", rt.clock).rows_read == 0


def test_config_check_reports_key_paths(tmp_path, deploy):
    with pytest.raises(ConfigInvalid) as err:
        deploy({"events": DATASET}, {
            "a": {"name": "甲", "kind": "ftp", "dataset": "events"},
            "b": {"name": "乙", "kind": "sql", "dataset": "events",
                  "settings": {"driver": "sqlite", "database": "x", "table": "t", "cursor_column": "u", "colour": 1}},
            "c": {"name": "丙", "kind": "http_json", "dataset": "events", "settings": {"paging": "page"}},
            "d": {"name": "丁", "kind": "file_drop", "dataset": "events",
                  "settings": {"path": "x", "columns": {"编号": "id", "类别": "kidn"}}},
        })
    paths = {i.path for i in err.value.issues}
    assert {"sources.a.kind", "sources.b.settings.colour", "sources.c.settings.url",
            "sources.d.settings.columns.类别"} <= paths
    assert "sources.d.settings.columns.编号" not in paths
