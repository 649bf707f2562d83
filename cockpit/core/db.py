"""The database layer: one DuckDB file, a cursor per thread, one writer at a time, versioned migrations.

DuckDB admits one process per file, so every writer lives in the serving process. Reads run on each
thread's own cursor without locking (MVCC); writes are serialised by a lock so that transactions from
the scheduler and from web threads never conflict.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

Cursor = duckdb.DuckDBPyConnection


@dataclass(frozen=True)
class Migration:
    """One schema step of one room; applied once, in (room, version) order."""

    room: str
    version: int
    name: str
    sql: str


_BOOTSTRAP = """
create table if not exists schema_migrations (
    room varchar not null, version integer not null, name varchar not null,
    applied_at timestamptz not null default current_timestamp, primary key (room, version));
create table if not exists data_versions (
    scope varchar primary key, version bigint not null, changed_at timestamptz not null);
"""


class DatabaseBusy(RuntimeError):
    """The database file is held by another process (normally the running `cockpit serve`)."""


class Database:
    """A DuckDB database file shared by every thread of this process (`read_only`: for inspection; writes fail)."""

    def __init__(self, path: str | Path, read_only: bool = False):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise DatabaseBusy(
                    f"数据库文件正被另一进程（通常是运行中的 cockpit serve）使用 / the database file {self.path} is in use "
                    "by another process (normally the running `cockpit serve`); stop it first or use the web app"
                ) from None
            raise
        self._con.execute("load icu; set TimeZone = 'UTC'")
        self._write_lock = threading.RLock()
        self._local = threading.local()
        if not read_only:
            self._con.execute(_BOOTSTRAP)

    def cursor(self) -> Cursor:
        """This thread's own cursor (DuckDB cursors must not be shared between threads)."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._con.cursor()
            cur.execute("set TimeZone = 'UTC'")
            self._local.cursor = cur
        return cur

    def query(self, sql: str, params: Sequence[Any] | dict | None = None) -> pl.DataFrame:
        """Run a read query and return a polars frame."""
        return self.cursor().sql(sql, params=params or None).pl()

    def rows(self, sql: str, params: Sequence[Any] | dict | None = None) -> list[tuple]:
        """Run a read query and return its rows as tuples."""
        return self.cursor().execute(sql, params or []).fetchall()

    def one(self, sql: str, params: Sequence[Any] | dict | None = None) -> tuple | None:
        """Run a read query and return its first row, or None."""
        rows = self.cursor().execute(sql, params or []).fetchall()  # fetchone would leave the cursor busy
        return rows[0] if rows else None

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """A write transaction: serialised with every other writer, committed or rolled back as one."""
        with self._write_lock:
            cur = self.cursor()
            if getattr(self._local, "depth", 0):
                self._local.depth += 1
                try:
                    yield cur
                finally:
                    self._local.depth -= 1
                return
            self._local.depth = 1
            cur.execute("begin transaction")
            try:
                yield cur
            except BaseException:
                cur.execute("rollback")
                raise
            else:
                cur.execute("commit")
            finally:
                self._local.depth = 0

    def append_arrow(self, cur: Cursor, table: str, data: pa.Table | pl.DataFrame) -> int:
        """Bulk-append a frame to `table` by column name inside the caller's transaction."""
        arrow = data.to_arrow() if isinstance(data, pl.DataFrame) else data
        if arrow.num_rows == 0:
            return 0
        name = f"_append_{threading.get_ident()}"
        cur.register(name, arrow)
        try:
            cols = ", ".join(f'"{c}"' for c in arrow.column_names)
            cur.execute(f'insert into "{table}" ({cols}) select {cols} from {name}')
        finally:
            cur.unregister(name)
        return arrow.num_rows

    def bump(self, cur: Cursor, scope: str = "data") -> None:
        """Mark that data in `scope` changed, so polling pages re-render (call inside a transaction)."""
        cur.execute(
            """insert into data_versions (scope, version, changed_at) values (?, 1, current_timestamp)
               on conflict (scope) do update set version = data_versions.version + 1,
               changed_at = excluded.changed_at""",
            [scope],
        )

    def data_version(self, scope: str = "data") -> int:
        """A number that grows whenever data in `scope` changes; cheap enough to poll every few seconds."""
        row = self.one("select version from data_versions where scope = ?", [scope])
        return int(row[0]) if row else 0

    def data_changed_at(self, scope: str = "data"):
        """When data in `scope` last changed (None if never)."""
        row = self.one("select changed_at from data_versions where scope = ?", [scope])
        return row[0] if row else None

    def migrate(self, migrations: Sequence[Migration]) -> list[Migration]:
        """Apply the migrations not applied yet, each in its own transaction; return those applied."""
        done = {(r, v) for r, v in self.rows("select room, version from schema_migrations")}
        applied = []
        for m in sorted(migrations, key=lambda m: (m.room, m.version)):
            if (m.room, m.version) in done:
                continue
            with self.transaction() as cur:
                cur.execute(m.sql)
                cur.execute(
                    "insert into schema_migrations (room, version, name) values (?, ?, ?)", [m.room, m.version, m.name]
                )
            applied.append(m)
        return applied

    def writable(self) -> bool:
        """Whether the database still accepts writes (DuckDB invalidates a database after a fatal error)."""
        try:
            with self.transaction() as cur:
                self.bump(cur, "healthcheck")
            return True
        except duckdb.Error:
            return False

    def backup_to(self, target: str | Path, count_table: str | None = None) -> int | None:
        """Write a consistent copy of the database to `target` while the app keeps running.

        Writers are held off (the write lock) while the WAL is checkpointed and the file copied, so the copy holds
        exactly the committed transactions. Returns the row count of `count_table` at that instant, if given.
        """
        import shutil

        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        with self._write_lock:
            cur = self.cursor()
            count = cur.execute(f'select count(*) from "{count_table}"').fetchall()[0][0] if count_table else None
            cur.execute("checkpoint")
            tmp = target.with_suffix(target.suffix + ".partial")
            shutil.copyfile(self.path, tmp)
            tmp.replace(target)
        return count

    def close(self) -> None:
        """Close the database file."""
        self._con.close()
