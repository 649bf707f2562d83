"""The audit log: append-only and hash-chained, so an edited or deleted record is detected."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cockpit.core import store
from cockpit.core.clock import Clock, SystemClock
from cockpit.core.db import Database


@dataclass(frozen=True)
class Actor:
    """Who did something, and from where."""

    user_id: str | None
    ip: str | None = None


class AuditFile:
    """An append-only copy of every audit record outside the database (rows in a database can be updated;
    this file is the external anchor that also reveals records deleted from the end of the chain)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def append(self, record: dict) -> None:
        """Append one record as a JSON line and force it to disk."""
        line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)

    def records(self) -> list[dict]:
        """Every record in the file, in order."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]


class SyslogForwarder:
    """Forwards each audit record as one RFC 5424-style line over UDP to a central log system (日志审计)."""

    def __init__(self, address: str, app: str = "cockpit"):
        import socket

        host, port = address.rsplit(":", 1)
        self.target = (host, int(port))
        self.app = app
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def append(self, record: dict) -> None:
        """Send one record; a lost datagram is not an error here (the database and the file are the record)."""
        # facility 13 (log audit), severity 5 (notice) → priority 109
        line = f"<109>1 {record['at']} - {self.app} - audit - " + json.dumps(record, ensure_ascii=False, sort_keys=True)
        with contextlib.suppress(OSError):
            self._sock.sendto(line.encode("utf-8"), self.target)


_sinks: dict[int, AuditFile] = {}
_forwarders: dict[int, SyslogForwarder] = {}


def attach_syslog(db: Database, address: str | None) -> None:
    """Forward every audit record written through `db` to a syslog receiver at `address` (None: stop)."""
    if address is None:
        _forwarders.pop(id(db), None)
    else:
        _forwarders[id(db)] = SyslogForwarder(address)


def attach_file(db: Database, path: str | Path | None) -> None:
    """Copy every audit record written through `db` to the file at `path` (None: no file)."""
    if path is None:
        _sinks.pop(id(db), None)
    else:
        _sinks[id(db)] = AuditFile(path)


def record_hash(prev_hash: str, seq: int, at: datetime, user_id, ip, action, obj, detail, outcome) -> str:
    """The chained hash of one record: it covers every field and the previous record's hash."""
    payload = json.dumps(
        [prev_hash, seq, at.isoformat(), user_id, ip, action, obj, detail, outcome], ensure_ascii=False
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def audit(
    db: Database,
    actor: Actor,
    action: str,
    obj: str | None = None,
    detail: dict | str | None = None,
    outcome: str = "ok",
    clock: Clock | None = None,
) -> int:
    """Append an audit record and return its sequence number.

    Args:
        action: a dotted verb such as `auth.login` or `task.dispatch`.
        obj: what was acted on, e.g. `user:leader1` or `area:321202`.
        outcome: `ok`, `denied`, `failed`.
    """
    at = (clock or SystemClock()).now().replace(microsecond=0)
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True) if isinstance(detail, dict) else detail
    with db.transaction() as cur:
        prev = store.last_audit_hash(cur)
        seq = store.next_audit_seq(cur)
        digest = record_hash(prev, seq, at, actor.user_id, actor.ip, action, obj, text, outcome)
        store.insert_audit(cur, (seq, at, actor.user_id, actor.ip, action, obj, text, outcome, prev, digest))
        record = {"seq": seq, "at": at.isoformat(), "user": actor.user_id, "ip": actor.ip, "action": action,
                  "object": obj, "detail": text, "outcome": outcome, "prev": prev, "hash": digest}
        sink = _sinks.get(id(db))
        if sink is not None:  # inside the transaction: if the file cannot be written, the action is not recorded
            sink.append(record)
    forwarder = _forwarders.get(id(db))
    if forwarder is not None:
        forwarder.append(record)
    return seq


def verify(db: Database) -> list[str]:
    """Check the whole chain; return one message per broken link (empty when intact)."""
    problems = []
    prev = ""
    expected_seq = None
    for seq, at, user_id, ip, action, obj, detail, outcome, prev_hash, digest in store.audit_records_in_order(db):
        if expected_seq is not None and seq != expected_seq:
            problems.append(f"记录 {expected_seq}–{seq - 1} 缺失 / records {expected_seq}..{seq - 1} deleted")
        if prev_hash != prev:
            problems.append(f"记录 {seq} 的前序哈希不符 / record {seq}: chain broken before it")
        if record_hash(prev_hash, seq, at, user_id, ip, action, obj, detail, outcome) != digest:
            problems.append(f"记录 {seq} 已被篡改 / record {seq}: contents altered")
        prev = digest
        expected_seq = seq + 1
    sink = _sinks.get(id(db))
    if sink is not None:
        problems.extend(_compare_with_file(db, sink))
    return problems


def _compare_with_file(db: Database, sink: AuditFile) -> list[str]:
    in_db = {r[0]: r[9] for r in store.audit_records_in_order(db)}
    problems = []
    for rec in sink.records():
        digest = in_db.get(rec["seq"])
        if digest is None:
            problems.append(f"记录 {rec['seq']} 在数据库中缺失 / record {rec['seq']}: deleted from the database")
        elif digest != rec["hash"]:
            problems.append(f"记录 {rec['seq']} 与外部副本不符 / record {rec['seq']}: differs from the external copy")
    return problems
