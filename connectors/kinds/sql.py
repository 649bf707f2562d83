"""Exchange-database (前置库) connector: reads a table or query incrementally by a cursor column, or whole.

SQLite (standard library), PostgreSQL (psycopg 3) and MySQL/MariaDB (PyMySQL), each streamed with a
server-side cursor in batches. Timestamp cursors are read with `>=` from (stored cursor − lag), so rows
that share the boundary time or arrive late are read again and merged, never skipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

import polars as pl
from pydantic import Field, SecretStr, model_validator

from connectors.base import Batch, Connector, FetchContext, Settings, register
from connectors.errors import ConfigError, TransientError, safe_message


class SqlSettings(Settings):
    """Settings of a `sql` source."""

    driver: Literal["sqlite", "postgresql", "mysql"] = Field(description="Database product (mysql covers MariaDB)")
    database: str = Field(description="Database name, or the file path for SQLite")
    host: str = "127.0.0.1"
    port: int | None = Field(default=None, description="Defaults to the driver's usual port")
    user: str | None = None
    password: SecretStr | None = Field(default=None, description="Use ${ENV} in the configuration")
    table: str | None = Field(default=None, description="Table or view to read")
    query: str | None = Field(default=None, description="A select statement to read instead of a table")
    mode: Literal["incremental", "snapshot"] = Field(default="incremental", description="By cursor, or all rows")
    cursor_column: str | None = Field(default=None, description="Update time or increasing id (incremental)")
    cursor_type: Literal["timestamp", "integer"] = "timestamp"
    source_timezone: str | None = Field(default=None, description="Zone of naive times in the database; the city's")
    columns: dict[str, str] = Field(default_factory=dict, description="Source column → dataset column")
    batch_rows: int = Field(default=10_000, ge=1)

    @model_validator(mode="after")
    def _shape(self) -> SqlSettings:
        if (self.table is None) == (self.query is None):
            raise ValueError("需要 table 或 query 之一 / give exactly one of table, query")
        if self.mode == "incremental" and not self.cursor_column:
            raise ValueError("增量模式需要 cursor_column / incremental mode needs cursor_column")
        return self


@register
class SqlExchange(Connector):
    """Reads new rows of one table of an exchange database."""

    kind = "sql"
    settings = SqlSettings

    def time_cursor_for(self, settings: SqlSettings) -> bool:
        """Timestamp cursors are capped at the run start and read back by the lag."""
        return settings.mode == "incremental" and settings.cursor_type == "timestamp"

    def fetch(self, settings: SqlSettings, ctx: FetchContext) -> Iterator[Batch]:
        """Yield batches of rows changed after the cursor (all rows in snapshot mode)."""
        tz = ZoneInfo(settings.source_timezone or ctx.timezone)
        sql, params = _statement(settings, ctx, tz)
        conn = _connect(settings, ctx.timeout_seconds, str(tz))
        try:
            cur = _stream_cursor(conn, settings)
            try:
                cur.execute(sql, params)
            except Exception as exc:
                raise _classified(exc, settings) from None
            names = [d[0] for d in cur.description]
            while True:
                try:
                    rows = cur.fetchmany(settings.batch_rows)
                except Exception as exc:
                    raise _classified(exc, settings) from None
                if not rows:
                    break
                frame = pl.DataFrame([list(r) for r in rows], schema=names, orient="row", strict=False,
                                     infer_schema_length=None)
                frame = frame.rename({k: v for k, v in settings.columns.items() if k in names})
                cursor = None
                if settings.mode == "incremental":
                    cursor = _cursor_text(rows[-1][names.index(settings.cursor_column)], settings, tz)
                yield Batch(frame, cursor)
        finally:
            conn.close()


def _statement(settings: SqlSettings, ctx: FetchContext, tz: ZoneInfo) -> tuple[str, list[Any]]:
    q = "%s" if settings.driver != "sqlite" else "?"
    base = settings.query or f"select * from {_quote(settings.table, settings.driver)}"
    if settings.mode == "snapshot":
        return base, []
    col = _quote(settings.cursor_column, settings.driver)
    sql = f"select * from ({base}) src"
    params: list[Any] = []
    if settings.cursor_type == "timestamp" and ctx.since is not None:
        since = ctx.since.astimezone(tz).replace(tzinfo=None)
        sql += f" where {col} >= {q}"
        params.append(since.strftime("%Y-%m-%d %H:%M:%S") if settings.driver == "sqlite" else since)
    elif settings.cursor_type == "integer" and ctx.cursor is not None:
        sql += f" where {col} > {q}"
        params.append(int(ctx.cursor))
    return sql + f" order by {col}", params


def _quote(name: str | None, driver: str) -> str:
    parts = (name or "").split(".")
    mark = "`" if driver == "mysql" else '"'
    return ".".join(f"{mark}{p.replace(mark, '')}{mark}" for p in parts)


def _cursor_text(value: Any, settings: SqlSettings, tz: ZoneInfo) -> str | None:
    if value is None:
        return None
    if settings.cursor_type == "integer":
        return str(int(value))
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(ZoneInfo("UTC")).isoformat()


def _connect(settings: SqlSettings, timeout: float, tz: str):
    password = settings.password.get_secret_value() if settings.password else None
    try:
        if settings.driver == "sqlite":
            return sqlite3.connect(f"file:{settings.database}?mode=ro", uri=True, timeout=timeout,
                                   check_same_thread=False)
        if settings.driver == "postgresql":
            import psycopg

            return psycopg.connect(host=settings.host, port=settings.port or 5432, user=settings.user,
                                   password=password, dbname=settings.database, connect_timeout=max(1, int(timeout)),
                                   options=f"-c statement_timeout={int(timeout * 1000)} -c TimeZone={tz}")
        import pymysql

        return pymysql.connect(host=settings.host, port=settings.port or 3306, user=settings.user,
                               password=password or "", database=settings.database, connect_timeout=timeout,
                               read_timeout=timeout, charset="utf8mb4")
    except Exception as exc:
        raise _classified(exc, settings) from None


def _stream_cursor(conn, settings: SqlSettings):
    if settings.driver == "postgresql":
        return conn.cursor(name="cockpit_ingest")      # server-side: rows arrive batch by batch
    if settings.driver == "mysql":
        import pymysql.cursors

        return conn.cursor(pymysql.cursors.SSCursor)
    return conn.cursor()


# Driver messages that mean a person must fix the configuration rather than wait.
_CONFIG_HINTS = ("password authentication failed", "access denied", "unknown database", "does not exist",
                 "doesn't exist", "no such table", "no such column", "unable to open database",
                 "syntax error", "unknown column", "role ")


def _classified(exc: Exception, settings: SqlSettings) -> Exception:
    text = safe_message(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
    where = f"{settings.driver}://{settings.host}/{settings.database}" if settings.driver != "sqlite" \
        else settings.database
    if any(h in text.lower() for h in _CONFIG_HINTS):
        return ConfigError(f"前置库 {where} 配置有误：{text}")
    return TransientError(f"前置库 {where} 暂时无法读取：{text}")
