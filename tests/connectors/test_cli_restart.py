"""The CLI (`cockpit ingest`, `cockpit sources list --json`) and restart safety after SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from cockpit.core.db import Database

ROOT = Path(__file__).resolve().parents[2]
# No primary key and `append`: only the cursor committed with each batch keeps a rerun from doubling rows.
DATASET = {"name": "流水", "columns": {"seq": {"type": "integer", "required": True}, "v": {"type": "string"}},
           "write": "append"}


def _cockpit(config: Path, *args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cockpit.cli", "--config", str(config), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, **kw)


def _source(folder: Path, batch_rows: int = 100) -> dict:
    return {"ledger": {"name": "流水文件", "kind": "file_drop", "dataset": "ledger", "owner": "dept_shuju",
                       "schedule": "5m", "settings": {"path": str(folder), "batch_rows": batch_rows}}}


def test_ingest_once_and_sources_list_json(tmp_path, config_file):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "a.csv").write_text("seq,v\n1,x\n2,y\nbad,z\n", encoding="utf-8")
    config = config_file({"ledger": DATASET}, _source(drop))
    done = _cockpit(config, "ingest", "--once", "--source", "ledger")
    assert done.returncode == 0, done.stderr
    assert "ledger\tok\tread=3\tloaded=2\tquarantined=1" in done.stdout
    listed = _cockpit(config, "sources", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    [row] = json.loads(listed.stdout)
    assert row["kind"] == "file_drop" and row["owner"] == "dept_shuju" and row["schedule"] == "5m"
    assert row["rows_loaded_today"] == 2 and row["rows_quarantined_today"] == 1
    assert row["last_success"] and row["lag_seconds"] is not None and row["last_error"] is None
    assert _cockpit(config, "ingest", "--once", "--source", "nope").returncode != 0


def test_sigkill_mid_ingest_then_rerun_loads_every_row_exactly_once(tmp_path, config_file):
    drop = tmp_path / "drop"
    drop.mkdir()
    total = 200_000
    with (drop / "big.csv").open("w", encoding="utf-8") as fh:
        fh.write("seq,v\n")
        fh.writelines(f"{i},row-{i}\n" for i in range(total))
    config = config_file({"ledger": DATASET}, _source(drop, batch_rows=2_000))
    proc = subprocess.Popen([sys.executable, "-m", "cockpit.cli", "--config", str(config), "-v", "ingest", "--once"],
                            cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    committed = 0
    for line in proc.stderr:
        if "batch committed" in line:
            committed += 1
            if committed == 3:
                os.kill(proc.pid, signal.SIGKILL)
                break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    assert (drop / "big.csv").exists()          # not archived: the file was not finished

    db = Database(tmp_path / "cockpit.duckdb")
    partial = db.one("select count(*) from ledger")[0]
    db.close()
    assert 0 < partial < total

    rerun = _cockpit(config, "ingest", "--once")
    assert rerun.returncode == 0, rerun.stderr
    db = Database(tmp_path / "cockpit.duckdb")
    count, distinct, low, high = db.one("select count(*), count(distinct seq), min(seq), max(seq) from ledger")
    statuses = [r[0] for r in db.rows("select status from source_runs order by run_id")]
    db.close()
    assert (count, distinct, low, high) == (total, total, 0, total - 1)
    assert statuses == ["interrupted", "ok"]
    assert (drop / "archive" / "big.csv").exists()
