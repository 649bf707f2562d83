"""/healthz: 200 while the database accepts writes and the scheduler runs; 503 naming the failed part otherwise."""

from __future__ import annotations

import pytest

from cockpit import bootstrap
from cockpit.app import create_app
from cockpit.core.db import Database
from cockpit.scheduler import scheduler_health, start_scheduler
from tests.conftest import write_config


@pytest.fixture
def runtime(tmp_path):
    rt = bootstrap.open_runtime(write_config(tmp_path))
    yield rt
    rt.db.close()


def test_healthz_fails_when_the_scheduler_stops(runtime):
    sched = start_scheduler(runtime)
    client = create_app(runtime, lambda: scheduler_health(sched)).server.test_client()
    try:
        ok = client.get("/healthz")
        assert ok.status_code == 200 and ok.json == {"status": "ok", "checks": {"database": "ok", "scheduler": "ok"}}
    finally:
        sched.shutdown(wait=False)
    down = client.get("/healthz")
    assert down.status_code == 503 and down.json["checks"]["scheduler"] == "stopped"


def test_healthz_fails_when_the_database_refuses_writes(runtime):
    path = runtime.db.path
    runtime.db.close()
    runtime.db = Database(path, read_only=True)        # as DuckDB leaves a database after a fatal write error
    client = create_app(runtime).server.test_client()
    resp = client.get("/healthz")
    assert resp.status_code == 503 and resp.json == {"status": "failed", "checks": {"database": "failed"}}
