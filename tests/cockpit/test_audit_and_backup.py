"""The audit log's external copy catches tail truncation; backups taken during writes hold every committed row."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime

import duckdb

from cockpit import bootstrap
from cockpit.core import audit
from cockpit.core.audit import Actor
from cockpit.core.backup import restore, take_backup
from cockpit.core.clock import FixedClock
from tests.conftest import ROOT, write_config


def test_deleting_the_newest_audit_records_is_detected_through_the_external_copy(tmp_path):
    rt = bootstrap.open_runtime(write_config(tmp_path), clock=FixedClock(datetime(2026, 11, 23, tzinfo=UTC)))
    for i in range(4):
        audit.audit(rt.db, Actor("u1", "10.0.0.9"), "task.dispatch", f"task:{i}", clock=rt.clock)
    assert audit.verify(rt.db) == []
    last = rt.db.rows("select max(seq) from audit_log")[0][0]
    rt.db.cursor().execute("delete from audit_log where seq = ?", [last])  # the chain alone cannot see this
    problems = audit.verify(rt.db)
    assert any(str(last) in p and "deleted" in p for p in problems)


def test_cli_audit_verify_names_the_altered_record(tmp_path):
    config = write_config(tmp_path)
    rt = bootstrap.open_runtime(config)
    for i in range(3):
        audit.audit(rt.db, Actor("u1"), "warning.ack", f"warning:{i}")
    rt.db.cursor().execute("update audit_log set outcome = 'denied' where seq = 2")
    rt.db.close()
    proc = subprocess.run([sys.executable, "-m", "cockpit.cli", "--config", str(config), "audit", "verify"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "record 2" in proc.stdout


def test_backup_during_concurrent_writes_holds_every_committed_row_and_restores(tmp_path):
    rt = bootstrap.open_runtime(write_config(tmp_path))
    with rt.db.transaction() as cur:
        cur.execute("create table ingest_probe (id integer primary key, payload varchar)")
    stop = threading.Event()
    written = [0]

    def writer():
        n = 0
        while not stop.is_set():
            with rt.db.transaction() as cur:
                cur.executemany("insert into ingest_probe values (?, ?)", [(n + i, "x" * 50) for i in range(200)])
            n += 200
            written[0] = n

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written[0] < 2_000:
            threading.Event().wait(0.01)
        target = tmp_path / "backups" / "b.duckdb"
        committed = rt.db.backup_to(target, count_table="ingest_probe")
    finally:
        stop.set()
        thread.join()
    assert committed >= 2_000 and committed % 200 == 0
    con = duckdb.connect(str(target), read_only=True)
    ids = con.execute("select count(*), count(distinct id), max(id) from ingest_probe").fetchall()[0]
    con.close()
    assert ids == (committed, committed, committed - 1)  # every committed row, once, and nothing half-written
    rt.db.close()
    db_path = tmp_path / "cockpit.duckdb"
    kept = restore(target, db_path)
    assert kept.exists()
    back = bootstrap.open_runtime(write_config(tmp_path))
    assert back.db.rows("select count(*) from ingest_probe")[0][0] == committed


def test_backup_retention_keeps_the_newest(tmp_path):
    rt = bootstrap.open_runtime(write_config(tmp_path))
    for day in range(1, 6):
        take_backup(rt.db, tmp_path / "b", datetime(2026, 11, day, 2, tzinfo=UTC), keep=3)
    assert sorted(p.name for p in (tmp_path / "b").glob("*.duckdb")) == [
        "cockpit-20261103T020000Z.duckdb", "cockpit-20261104T020000Z.duckdb", "cockpit-20261105T020000Z.duckdb"]


def test_audit_records_are_forwarded_to_a_syslog_receiver(tmp_path):
    import json
    import socket

    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    port = receiver.getsockname()[1]
    config = write_config(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace(
        "security:\n", f"security:\n  audit_syslog: 127.0.0.1:{port}\n", 1), encoding="utf-8")
    rt = bootstrap.open_runtime(config)
    seq = audit.audit(rt.db, Actor("u9", "10.1.1.1"), "warning.ack", "warning:7")
    line = receiver.recv(65535).decode()
    receiver.close()
    assert line.startswith("<109>1 ")
    record = json.loads(line.split(" audit - ", 1)[1])
    stored = rt.db.rows("select hash from audit_log where seq = ?", [seq])[0][0]
    assert record["seq"] == seq and record["hash"] == stored and record["action"] == "warning.ack"


def test_audit_fails_closed_when_the_audit_file_cannot_be_written(tmp_path):
    """MLPS T16: a full disk under the audit file stops audited actions instead of letting them pass unrecorded."""
    from cockpit.auth import sessions
    from cockpit.auth.users import create_user
    from cockpit.core import store

    rt = bootstrap.open_runtime(write_config(tmp_path), clock=FixedClock(datetime(2026, 11, 23, 8, tzinfo=UTC)))
    create_user(rt.db, Actor("t"), "duty7", "值班", "duty_officer", "321202", password="Duty#Pass77",
                must_change_password=False, clock=rt.clock)
    before = len(store.audit_records(rt.db))
    audit.attach_file(rt.db, "/dev/full")  # every write there fails with ENOSPC, as on a full disk
    try:
        policy = sessions.SessionPolicy.from_config(rt.config)
        try:
            result = sessions.login(rt.db, "duty7", "Duty#Pass77", "127.0.0.1", policy, rt.clock)
        except OSError:
            result = None
        assert result is None  # no token reached the user
        assert len(store.audit_records(rt.db)) == before  # and nothing half-recorded in the database
    finally:
        audit.attach_file(rt.db, None)
    assert sessions.login(rt.db, "duty7", "Duty#Pass77", "127.0.0.1", policy, rt.clock).token
