"""Where the simulated systems keep their data: the simulator's own SQLite store (records the simulated
APIs serve, planned case closures, progress and drills) and the exchange database (前置库) departments
write into. Only the simulator writes either; the APIs and the connectors read.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from cockpit.core.config.simulator import ExchangeDbConfig

INTERNAL_SCHEMA = """
create table if not exists progress (system text primary key, generated_until integer not null);
create table if not exists drills (id integer primary key autoincrement, name text not null, starts integer not null,
    ends integer not null, params text not null);
create table if not exists hotline_orders (order_id text primary key, created integer not null,
    dispatched integer not null, due integer not null, closed integer not null, visited integer not null,
    street text not null, category text not null, channel text not null, satisfied integer not null,
    solved integer not null, upd integer not null, nxt integer not null);
create index if not exists hotline_orders_upd on hotline_orders (upd, order_id);
create index if not exists hotline_orders_nxt on hotline_orders (nxt);
create table if not exists hotline_calls (call_id text primary key, started integer not null, district text not null,
    answered integer not null, wait_seconds integer);
create index if not exists hotline_calls_started on hotline_calls (started, call_id);
create table if not exists video_status (point_id text not null, checked integer not null, street text not null,
    kind text not null, online integer not null, primary key (point_id, checked));
create index if not exists video_status_checked on video_status (checked, point_id);
create table if not exists traffic (road_id text not null, measured integer not null, street text not null,
    congestion real not null, speed real not null, length_km real not null, accident integer not null,
    primary key (road_id, measured));
create index if not exists traffic_measured on traffic (measured, road_id);
create table if not exists grid_pending (event_id text primary key, closes integer not null, handled integer not null);
create index if not exists grid_pending_closes on grid_pending (closes);
"""


class InternalStore:
    """The simulator's own SQLite file (WAL: the API threads read while the simulator writes)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        with self.connect() as con:
            con.execute("pragma journal_mode=wal")
            con.executescript(INTERNAL_SCHEMA)

    def connect(self) -> sqlite3.Connection:
        """This thread's connection."""
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            con.execute("pragma synchronous=normal")
            self._local.con = con
        return con

    def insert(self, table: str, rows: list[tuple], replace: bool = True) -> None:
        """Insert (or replace) rows in one transaction."""
        if not rows:
            return
        con = self.connect()
        marks = ",".join("?" * len(rows[0]))
        verb = "insert or replace" if replace else "insert or ignore"
        con.execute("begin")
        con.executemany(f"{verb} into {table} values ({marks})", rows)
        con.execute("commit")

    def progress(self, system: str) -> int | None:
        """Epoch second up to which `system` has been generated."""
        row = self.connect().execute("select generated_until from progress where system = ?", [system]).fetchone()
        return row[0] if row else None

    def set_progress(self, system: str, until: int) -> None:
        """Record that `system` has been generated up to `until`."""
        self.connect().execute("insert or replace into progress values (?, ?)", [system, until])

    def add_drill(self, name: str, starts: int, ends: int, params: dict) -> int:
        """Record a drill; returns its id."""
        cur = self.connect().execute("insert into drills (name, starts, ends, params) values (?, ?, ?, ?)",
                                     [name, starts, ends, json.dumps(params, ensure_ascii=False)])
        return int(cur.lastrowid)

    def drills(self, since: int | None = None) -> list[dict]:
        """Drills (ending after `since` when given), oldest first."""
        rows = self.connect().execute(
            "select id, name, starts, ends, params from drills where ends > ? order by id", [since or 0]).fetchall()
        return [{"id": r[0], "name": r[1], "starts": r[2], "ends": r[3], "params": json.loads(r[4])} for r in rows]

    def count(self, table: str) -> int:
        """Rows in a table."""
        return int(self.connect().execute(f"select count(*) from {table}").fetchone()[0])

    def close(self) -> None:
        """Close this thread's connection."""
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None


# Tables of the exchange database, named and typed the way department systems deliver them
# (hydrology tables follow SL 323: STCD station code, TM time, Z level, WRZ warning level, DRP rain).
EXCHANGE_TABLES: dict[str, list[tuple[str, str]]] = {
    "szcg_grid_event": [("event_id", "key"), ("report_time", "ts"), ("due_time", "ts"), ("close_time", "ts"),
                        ("street_code", "text"), ("grid_code", "text"), ("event_type", "text"),
                        ("event_source", "text"), ("is_szcg", "int"), ("status", "text"), ("handled", "int"),
                        ("update_time", "ts")],
    "st_river_r": [("stcd", "key"), ("tm", "key_ts"), ("street_code", "text"), ("z", "real"), ("wrz", "real"),
                   ("grz", "real"), ("update_time", "ts")],
    "st_pptn_r": [("stcd", "key"), ("tm", "key_ts"), ("street_code", "text"), ("drp", "real"), ("update_time", "ts")],
    "yj_incident": [("incident_id", "key"), ("received_time", "ts"), ("arrived_time", "ts"),
                    ("response_minutes", "real"), ("street_code", "text"), ("incident_kind", "text"),
                    ("incident_level", "int"), ("casualties", "int"), ("update_time", "ts")],
    "wj_daily_stat": [("district_code", "key"), ("stat_date", "key_ts"), ("fever_visits", "int"),
                      ("beds_total", "int"), ("beds_occupied", "int"), ("ambulance_calls", "int"),
                      ("ambulance_on_time", "int"), ("update_time", "ts")],
    "sj_market_daily": [("district_code", "key"), ("stat_date", "key_ts"), ("new_entities", "int"),
                        ("cancelled_entities", "int"), ("entities_total", "int"), ("permits_total", "int"),
                        ("permits_online", "int"), ("permit_days_total", "real"), ("complaints", "int"),
                        ("update_time", "ts")],
    "dsj_resource_snapshot": [("resource_id", "key"), ("snapshot_time", "key_ts"), ("district_code", "text"),
                              ("category", "text"), ("mounted", "int"), ("updated_on_time", "int"),
                              ("quality_ok", "int"), ("cloud_cpu_pct", "real"), ("update_time", "ts")],
}

# History exports of the systems whose live data comes over an API: departments deliver the backlog
# through the exchange database once; their APIs answer for the last few days only.
EXCHANGE_TABLES |= {
    "his_12345_order": [("order_id", "key"), ("created_at", "ts"), ("dispatched_at", "ts"), ("due_at", "ts"),
                        ("closed_at", "ts"), ("street_code", "text"), ("category", "text"), ("channel", "text"),
                        ("status", "text"), ("dispatched", "int"), ("visited", "int"), ("satisfied", "int"),
                        ("solved", "int"), ("update_time", "ts")],
    "his_12345_call": [("call_id", "key"), ("started_at", "ts"), ("district_code", "text"), ("answered", "int"),
                       ("wait_seconds", "int"), ("update_time", "ts")],
    "his_video_status": [("point_id", "key"), ("check_time", "key_ts"), ("street_code", "text"),
                         ("point_type", "text"), ("online", "int"), ("update_time", "ts")],
    "his_traffic_tpi": [("road_id", "key"), ("time", "key_ts"), ("street_code", "text"), ("tpi", "real"),
                        ("avg_speed", "real"), ("length_km", "real"), ("accident", "int"), ("update_time", "ts")],
}

_TYPES = {
    "sqlite": {"key": "text", "key_ts": "text", "ts": "text", "text": "text", "int": "integer", "real": "real"},
    "postgresql": {"key": "varchar(64)", "key_ts": "timestamp", "ts": "timestamp", "text": "varchar(200)",
                   "int": "integer", "real": "double precision"},
    "mysql": {"key": "varchar(64)", "key_ts": "datetime", "ts": "datetime", "text": "varchar(200)", "int": "integer",
              "real": "double"},
}


class ExchangeDb:
    """The exchange database (前置库): SQLite file by default, PostgreSQL or MariaDB when configured."""

    def __init__(self, config: ExchangeDbConfig, folder: Path):
        self.config = config
        self.driver = config.driver
        self.sqlite_path = folder / config.database if config.driver == "sqlite" else None
        self._con = self._connect()
        self._create()

    def _connect(self):
        c = self.config
        password = c.password.get_secret_value() if c.password else None
        if self.driver == "sqlite":
            self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.sqlite_path, timeout=30, isolation_level=None, check_same_thread=False)
            con.execute("pragma journal_mode=wal")
            con.execute("pragma synchronous=normal")
            return con
        if self.driver == "postgresql":
            import psycopg

            return psycopg.connect(host=c.host, port=c.port or 5432, user=c.user, password=password,
                                   dbname=c.database, autocommit=True)
        import pymysql

        return pymysql.connect(host=c.host, port=c.port or 3306, user=c.user, password=password or "",
                               database=c.database, autocommit=True, charset="utf8mb4")

    def _create(self) -> None:
        types = _TYPES[self.driver]
        cur = self._con.cursor()
        for table, cols in EXCHANGE_TABLES.items():
            keys = [n for n, t in cols if t.startswith("key")]
            body = ", ".join(f"{n} {types[t]}" + (" not null" if t.startswith("key") else "") for n, t in cols)
            cur.execute(f"create table if not exists {table} ({body}, primary key ({', '.join(keys)}))")
            index = f"{table}_update_time"
            if self.driver == "mysql":
                cur.execute("select count(*) from information_schema.statistics where table_schema = database() "
                            "and table_name = %s and index_name = %s", [table, index])
                if cur.fetchone()[0] == 0:
                    cur.execute(f"create index {index} on {table} (update_time)")
            else:
                cur.execute(f"create index if not exists {index} on {table} (update_time)")

    def upsert(self, table: str, rows: list[tuple]) -> None:
        """Insert or replace rows (by the table's key) in one transaction."""
        if not rows:
            return
        cols = [n for n, _t in EXCHANGE_TABLES[table]]
        keys = [n for n, t in EXCHANGE_TABLES[table] if t.startswith("key")]
        names = ", ".join(cols)
        if self.driver == "sqlite":
            sql = f"insert or replace into {table} ({names}) values ({', '.join('?' * len(cols))})"
        elif self.driver == "postgresql":
            updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c not in keys)
            sql = (f"insert into {table} ({names}) values ({', '.join(['%s'] * len(cols))}) "
                   f"on conflict ({', '.join(keys)}) do update set {updates}")
        else:
            updates = ", ".join(f"{c} = values({c})" for c in cols if c not in keys)
            sql = f"insert into {table} ({names}) values ({', '.join(['%s'] * len(cols))}) " \
                  f"on duplicate key update {updates}"
        cur = self._con.cursor()
        self._begin(cur)
        cur.executemany(sql, rows)
        self._commit(cur)

    def execute(self, sql: str, params: list[Any]) -> None:
        """Run one statement written with `?` marks."""
        if self.driver != "sqlite":
            sql = sql.replace("?", "%s")
        self._con.cursor().execute(sql, params)

    def count(self, table: str) -> int:
        """Rows in a table."""
        cur = self._con.cursor()
        cur.execute(f"select count(*) from {table}")
        return int(cur.fetchone()[0])

    def _begin(self, cur) -> None:
        if self.driver == "sqlite":
            cur.execute("begin")
        elif self.driver == "postgresql":
            self._con.autocommit = False
        else:
            self._con.begin()

    def _commit(self, cur) -> None:
        if self.driver == "sqlite":
            cur.execute("commit")
        else:
            self._con.commit()
            if self.driver == "postgresql":
                self._con.autocommit = True

    def close(self) -> None:
        """Close the connection."""
        self._con.close()


def update_many(db: ExchangeDb, sql: str, rows: list[tuple]) -> None:
    """Run one `?`-marked update for every row, in one transaction."""
    if not rows:
        return
    if db.driver != "sqlite":
        sql = sql.replace("?", "%s")
    cur = db._con.cursor()
    db._begin(cur)
    cur.executemany(sql, rows)
    db._commit(cur)
