"""Tables owned by the connectors room, and the dataset tables created from configuration."""

from __future__ import annotations

import logging

from cockpit.core.config import Config
from cockpit.core.config.data import DatasetConfig
from cockpit.core.db import Database, Migration

log = logging.getLogger(__name__)

MIGRATIONS = [
    Migration("connectors", 1, "runs, quarantine and cursors", """
create sequence source_run_seq start 1;
create table source_runs (
    run_id bigint primary key, source_id varchar not null, started_at timestamptz not null,
    finished_at timestamptz, status varchar not null, rows_read bigint not null default 0,
    rows_loaded bigint not null default 0, rows_quarantined bigint not null default 0,
    watermark varchar, error_kind varchar, error varchar);
create index source_runs_source on source_runs (source_id, started_at);
create sequence quarantine_seq start 1;
create table quarantine (
    id bigint primary key, source_id varchar not null, run_id bigint, raw varchar not null,
    reason varchar not null, received_at timestamptz not null, reprocessed_at timestamptz);
create index quarantine_source on quarantine (source_id, received_at);
create table source_state (
    source_id varchar primary key, cursor varchar, updated_at timestamptz,
    failing boolean not null default false, failing_since timestamptz, last_error varchar,
    last_error_kind varchar, last_success_at timestamptz);
"""),
    # Append-only: a resubmission is a new row (the newest per street and period counts), so nothing is ever
    # updated in place — DuckDB refuses some updates of indexed columns, and the history stays for the record.
    Migration("connectors", 2, "manual form submissions", """
create sequence form_submission_seq start 1;
create table form_submissions (
    seq bigint primary key, source_id varchar not null, street_code varchar not null,
    period_start timestamptz not null, values_json varchar not null, submitted_at timestamptz not null,
    submitted_by varchar not null);
create index form_submissions_period on form_submissions (source_id, period_start);
"""),
    # The contract with the warning engine (connectors/README.md, "数据断流"): one row per configured source,
    # rewritten by the watchdog job every minute. Written only here; read by alerts through plain SQL.
    Migration("connectors", 3, "source freshness for the warning engine", """
create table source_freshness (
    source_id varchar primary key, source_name varchar not null, dataset varchar not null,
    level varchar not null, last_success_at timestamptz, silent_for_seconds double, reason varchar,
    checked_at timestamptz not null);
"""),
]

SQL_TYPES = {
    "string": "varchar", "integer": "bigint", "float": "double", "boolean": "boolean",
    "date": "date", "timestamp": "timestamptz",
}

META_COLUMNS = {"_source": "varchar", "_loaded_at": "timestamptz"}


def create_table_sql(table: str, dataset: DatasetConfig) -> str:
    """`create table` for a dataset: its columns, a primary key when declared, and load metadata."""
    cols = [f'"{name}" {SQL_TYPES[col.type]}' for name, col in dataset.columns.items()]
    cols += [f'"{name}" {sql_type}' for name, sql_type in META_COLUMNS.items()]
    if dataset.primary_key:
        cols.append("primary key (" + ", ".join(f'"{c}"' for c in dataset.primary_key) + ")")
    return f'create table if not exists "{table}" ({", ".join(cols)})'


def ensure_dataset_tables(db: Database, config: Config) -> None:
    """Create every configured dataset's table, and add columns that the configuration gained since."""
    for table, dataset in config.datasets.items():
        with db.transaction() as cur:
            cur.execute(create_table_sql(table, dataset))
            existing = {r[0] for r in cur.execute(
                "select column_name from information_schema.columns where table_name = ?", [table]).fetchall()}
            wanted = {name: SQL_TYPES[col.type] for name, col in dataset.columns.items()} | META_COLUMNS
            for name, sql_type in wanted.items():
                if name not in existing:
                    log.info("dataset %s: adding column %s", table, name)
                    cur.execute(f'alter table "{table}" add column "{name}" {sql_type}')
