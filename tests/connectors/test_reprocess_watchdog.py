"""Re-processing quarantine after a configuration fix, and the watchdog's view of hung runs."""

from __future__ import annotations

from datetime import timedelta

from connectors import store
from connectors.freshness import hung_runs
from connectors.reprocess import reprocess_quarantine
from connectors.runner import run_source


def _dataset(fmt):
    return {"name": "事件", "columns": {"id": {"type": "string", "required": True},
                                        "at": {"type": "timestamp", "format": fmt}}, "primary_key": ["id"]}


def test_rows_quarantined_for_a_date_format_load_after_the_format_is_fixed(tmp_path, deploy):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "a.csv").write_text("id,at\n1,2026-03-02 08:00:00\n2,02/03/2026 09:00\n3,nonsense\nx\n", encoding="utf-8")
    source = {"ev": {"name": "事件文件", "kind": "file_drop", "dataset": "ev", "settings": {"path": str(drop)}}}
    rt = deploy({"ev": _dataset(None)}, source)
    result = run_source(rt.db, rt.config, "ev", rt.clock)
    assert (result.rows_loaded, result.rows_quarantined) == (1, 3)
    rt = deploy({"ev": _dataset("%d/%m/%Y %H:%M")}, source)       # the operator fixes the format
    done = reprocess_quarantine(rt.db, rt.config, "ev", rt.clock)
    assert (done.loaded, done.still_bad, done.not_rows) == (1, 1, 1)
    assert sorted(r[0] for r in rt.db.rows("select id from ev")) == ["1", "2"]
    again = reprocess_quarantine(rt.db, rt.config, "ev", rt.clock)
    assert (again.loaded, again.still_bad) == (0, 1)              # loaded rows are not re-loaded


def test_a_run_left_running_past_its_budget_is_reported(tmp_path, deploy, clock):
    rt = deploy({"ev": _dataset(None)}, {"ev": {"name": "事件文件", "kind": "file_drop", "dataset": "ev",
                                                "timeout": "10m", "settings": {"path": str(tmp_path)}}})
    with rt.db.transaction() as cur:
        run_id = store.start_run(cur, "ev", clock.now())       # as a process that hangs or dies would leave it
    assert hung_runs(rt.db, rt.config, clock.now() + timedelta(minutes=5)) == []
    [hung] = hung_runs(rt.db, rt.config, clock.now() + timedelta(minutes=30))
    assert hung.run_id == run_id and "超过时限" in hung.reason
    run_source(rt.db, rt.config, "ev", rt.clock)               # the next run marks it interrupted
    assert hung_runs(rt.db, rt.config, clock.now() + timedelta(minutes=30)) == []
