"""Scheduler jobs per source, freshness (数据断流) and the `replace` write disposition."""

from __future__ import annotations

import sqlite3

from connectors.freshness import stale_sources
from connectors.jobs import jobs
from connectors.runner import run_source

DATASET = {"name": "站点", "columns": {"code": {"type": "string", "required": True}, "name": {"type": "string"}},
           "primary_key": ["code"], "write": "replace"}


def _sqlite(path, rows):
    con = sqlite3.connect(path)
    con.execute("create table if not exists stations (code text, name text)")
    con.execute("delete from stations")
    con.executemany("insert into stations values (?, ?)", rows)
    con.commit()
    con.close()


def _sources(tmp_path, **extra):
    return {"st": {"name": "监测站点表", "kind": "sql", "dataset": "stations", "schedule": "1h",
                   "freshness": {"warn_after": "2h", "error_after": "6h"},
                   "settings": {"driver": "sqlite", "database": str(tmp_path / "x.sqlite"), "table": "stations",
                                "mode": "snapshot"}},
            "off": {"name": "停用源", "kind": "sql", "dataset": "stations", "enabled": False,
                    "settings": {"driver": "sqlite", "database": "y", "table": "t", "mode": "snapshot"}}} | extra


def test_jobs_are_one_interval_job_per_enabled_source(tmp_path, deploy):
    rt = deploy({"stations": DATASET}, _sources(tmp_path))
    job, watchdog = jobs(rt.config, rt.db, rt.clock)
    assert watchdog.id == "connectors.watchdog" and watchdog.trigger_args == {"seconds": 60}
    assert job.id == "ingest:st" and job.trigger == "interval" and job.trigger_args == {"seconds": 3600}
    assert 0 < job.jitter_seconds <= 60
    _sqlite(tmp_path / "x.sqlite", [("1201A", "海陵")])
    job.func()
    assert rt.db.rows("select code from stations") == [("1201A",)]


def test_replace_swaps_the_whole_table(tmp_path, deploy):
    _sqlite(tmp_path / "x.sqlite", [("1201A", "海陵"), ("1202A", "高港")])
    rt = deploy({"stations": DATASET}, _sources(tmp_path))
    assert run_source(rt.db, rt.config, "st", rt.clock).rows_loaded == 2
    _sqlite(tmp_path / "x.sqlite", [("1203A", "姜堰")])
    assert run_source(rt.db, rt.config, "st", rt.clock).rows_loaded == 1
    assert rt.db.rows("select code, name from stations") == [("1203A", "姜堰")]


def test_a_silent_source_is_stale_with_a_reason_never_a_zero(tmp_path, deploy, clock):
    _sqlite(tmp_path / "x.sqlite", [("1201A", "海陵")])
    rt = deploy({"stations": DATASET}, _sources(tmp_path))
    assert run_source(rt.db, rt.config, "st", rt.clock).status == "ok"
    assert stale_sources(rt.db, rt.config, clock.now()) == []
    (tmp_path / "x.sqlite").unlink()              # the exchange database disappears
    clock.advance(hours=3)
    assert run_source(rt.db, rt.config, "st", rt.clock).status == "failed"
    [warn] = stale_sources(rt.db, rt.config, clock.now())
    assert warn.level == "warn" and warn.source_id == "st" and "数据断流" in warn.reason
    assert "最近错误" in warn.reason
    clock.advance(hours=4)
    [err] = stale_sources(rt.db, rt.config, clock.now())
    assert err.level == "error" and err.silent_for_seconds == 7 * 3600
    _sqlite(tmp_path / "x.sqlite", [("1201A", "海陵")])
    run_source(rt.db, rt.config, "st", rt.clock)
    assert stale_sources(rt.db, rt.config, clock.now()) == []


def test_a_missing_server_fails_in_ci_and_skips_elsewhere(need, monkeypatch):
    import socket

    import pytest

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]          # bound, not listening: nothing answers there
        monkeypatch.setenv("CI", "true")
        with pytest.raises(pytest.fail.Exception):
            need("127.0.0.1", port, "a server")
        monkeypatch.setenv("CI", "false")
        with pytest.raises(pytest.skip.Exception):
            need("127.0.0.1", port, "a server")
