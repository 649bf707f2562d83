"""Named queries of the connectors room: runs, quarantine, cursors and dataset writes. The room's only SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from cockpit.core.db import Cursor, Database


@dataclass(frozen=True)
class SourceState:
    """The stored position and health of one source."""

    source_id: str
    cursor: str | None
    failing: bool
    failing_since: datetime | None
    last_error: str | None
    last_error_kind: str | None
    last_success_at: datetime | None


_STATE_COLS = "source_id, cursor, failing, failing_since, last_error, last_error_kind, last_success_at"


def state(db: Database, source_id: str) -> SourceState:
    """The stored state of a source (an empty one before its first run)."""
    row = db.one(f"select {_STATE_COLS} from source_state where source_id = ?", [source_id])
    return SourceState(*row) if row else SourceState(source_id, None, False, None, None, None, None)


def save_cursor(cur: Cursor, source_id: str, cursor: str, now: datetime) -> None:
    """Store a source's new cursor (inside the batch's transaction)."""
    cur.execute(
        """insert into source_state (source_id, cursor, updated_at) values (?, ?, ?)
           on conflict (source_id) do update set cursor = excluded.cursor, updated_at = excluded.updated_at""",
        [source_id, cursor, now],
    )


def mark_health(cur: Cursor, source_id: str, failing: bool, now: datetime,
                error: str | None = None, kind: str | None = None) -> None:
    """Record that a source succeeded (clears the error) or failed (keeps when it started failing)."""
    cur.execute("insert into source_state (source_id) values (?) on conflict do nothing", [source_id])
    if failing:
        cur.execute(
            """update source_state set failing = true, failing_since = coalesce(failing_since, ?),
               last_error = ?, last_error_kind = ? where source_id = ?""",
            [now, error, kind, source_id],
        )
    else:
        cur.execute(
            """update source_state set failing = false, failing_since = null, last_error = null,
               last_error_kind = null, last_success_at = ? where source_id = ?""",
            [now, source_id],
        )


def start_run(cur: Cursor, source_id: str, now: datetime) -> int:
    """Open a run record; runs of this source left `running` (or `hung`) by a dead process become `interrupted`."""
    cur.execute(
        "update source_runs set status = 'interrupted' where source_id = ? and status in ('running', 'hung')",
        [source_id],
    )
    run_id = cur.execute("select nextval('source_run_seq')").fetchone()[0]
    cur.execute(
        "insert into source_runs (run_id, source_id, started_at, status) values (?, ?, ?, 'running')",
        [run_id, source_id, now],
    )
    return int(run_id)


def count_batch(cur: Cursor, run_id: int, read: int, loaded: int, quarantined: int, watermark: str | None) -> None:
    """Add one committed batch's counts to its run."""
    cur.execute(
        """update source_runs set rows_read = rows_read + ?, rows_loaded = rows_loaded + ?,
           rows_quarantined = rows_quarantined + ?, watermark = coalesce(?, watermark) where run_id = ?""",
        [read, loaded, quarantined, watermark, run_id],
    )


def finish_run(cur: Cursor, run_id: int, now: datetime, status: str,
               error_kind: str | None = None, error: str | None = None) -> None:
    """Close a run record."""
    cur.execute(
        "update source_runs set finished_at = ?, status = ?, error_kind = ?, error = ? where run_id = ?",
        [now, status, error_kind, error, run_id],
    )


def run(db: Database, run_id: int) -> dict | None:
    """One run record as a dict."""
    frame = db.query("select * from source_runs where run_id = ?", [run_id])
    return frame.to_dicts()[0] if frame.height else None


def quarantine_rows(cur: Cursor, source_id: str, run_id: int, items: Sequence[tuple[str, str]], now: datetime) -> None:
    """Store bad input as (raw JSON text, Chinese reason)."""
    if not items:
        return
    cur.executemany(
        """insert into quarantine (id, source_id, run_id, raw, reason, received_at)
           values (nextval('quarantine_seq'), ?, ?, ?, ?, ?)""",
        [(source_id, run_id, raw, reason, now) for raw, reason in items],
    )


def quarantined(db: Database, source_id: str | None = None) -> pl.DataFrame:
    """Quarantined input, newest first."""
    return db.query(
        """select id, source_id, run_id, raw, reason, received_at from quarantine
           where (? is null or source_id = ?) order by id desc""",
        [source_id, source_id],
    )


def known_areas(db: Database) -> set[str]:
    """Every area code of the areas table."""
    return {r[0] for r in db.rows("select code from areas")}


def write_rows(db: Database, cur: Cursor, table: str, frame: pl.DataFrame, key: Sequence[str], mode: str) -> int:
    """Write a normalised frame into a dataset table by its write disposition; returns rows written.

    merge: insert, or update the row with the same primary key. append: insert; a row whose key is
    already stored is skipped (so re-reading overlapping input never doubles rows).

    The frame is read straight from Arrow. A temporary staging table filled in the same transaction
    is avoided on purpose: with DuckDB 2.0.0, `insert … select` from such a table silently inserted
    nothing once it held more than one row group (~123k rows) — see tests/connectors/test_store.py.
    """
    if frame.height == 0:
        return 0
    name = f"_rows_{table}"
    cur.register(name, frame.to_arrow())
    try:
        cols = ", ".join(f'"{c}"' for c in frame.columns)
        keys = ", ".join(f'"{c}"' for c in key)
        sql = f'insert into "{table}" ({cols}) select {cols} from {name}'
        if key and mode == "merge":
            updates = ", ".join(f'"{c}" = excluded."{c}"' for c in frame.columns if c not in key)
            sql += f" on conflict ({keys}) " + (f"do update set {updates}" if updates else "do nothing")
        elif key:
            sql += f" on conflict ({keys}) do nothing"
        written = cur.execute(sql).fetchone()[0]
    finally:
        cur.unregister(name)
    if (mode == "merge" or not key) and written != frame.height:
        raise RuntimeError(f"dataset {table}: wrote {written} of {frame.height} rows")  # never lose rows silently
    return frame.height


def stage_for_replace(db: Database, cur: Cursor, table: str, run_id: int, frame: pl.DataFrame) -> None:
    """Keep a batch of a `replace` run aside until the run completes."""
    stage = f"_replace_{table}_{run_id}"
    _create_like(cur, stage, table)
    db.append_arrow(cur, stage, frame)


def swap_replace(cur: Cursor, table: str, run_id: int) -> int:
    """Replace a dataset's rows by the rows staged by `run_id`; returns the row count."""
    stage = f"_replace_{table}_{run_id}"
    _create_like(cur, stage, table)
    cur.execute(f'delete from "{table}"')
    cur.execute(f'insert into "{table}" select * from "{stage}"')
    count = cur.execute(f'select count(*) from "{stage}"').fetchone()[0]
    cur.execute(f'drop table "{stage}"')
    return int(count)


def _create_like(cur: Cursor, stage: str, table: str) -> None:
    """An empty table with `table`'s columns, declared explicitly.

    Not `create table … as select * from table limit 0`: with DuckDB 2.0.0, a table made that way inside
    a transaction and then filled past one row group gave back no rows to `insert … select` (silent loss).
    """
    cols = cur.execute(
        "select column_name, data_type from information_schema.columns where table_name = ? order by ordinal_position",
        [table],
    ).fetchall()
    defs = ", ".join(f'"{name}" {sql_type}' for name, sql_type in cols)
    cur.execute(f'create table if not exists "{stage}" ({defs})')


def drop_replace_stage(cur: Cursor, table: str, run_id: int) -> None:
    """Discard the staged rows of a failed `replace` run."""
    cur.execute(f'drop table if exists "_replace_{table}_{run_id}"')


def source_summary(db: Database, source_id: str, day_start: datetime) -> dict:
    """Rows loaded and quarantined since `day_start`, and the newest run, for the sources list."""
    loaded = db.one(
        """select coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0) from source_runs
           where source_id = ? and started_at >= ?""",
        [source_id, day_start],
    )
    last = db.one(
        """select status, started_at, finished_at, error from source_runs where source_id = ?
           order by run_id desc limit 1""",
        [source_id],
    )
    return {
        "rows_loaded_today": int(loaded[0]), "rows_quarantined_today": int(loaded[1]),
        "last_run_status": last[0] if last else None, "last_run_at": last[1] if last else None,
    }


def first_run_at(db: Database, source_id: str) -> datetime | None:
    """When a source was first run, or None."""
    row = db.one("select min(started_at) from source_runs where source_id = ?", [source_id])
    return row[0] if row else None


def pending_quarantine(db: Database, source_id: str) -> list[tuple[int, str]]:
    """(id, raw) of a source's quarantined rows not yet re-processed, oldest first."""
    return [(int(i), raw) for i, raw in db.rows(
        "select id, raw from quarantine where source_id = ? and reprocessed_at is null order by id", [source_id])]


def mark_reprocessed(cur: Cursor, ids: Sequence[int], now: datetime) -> None:
    """Mark quarantined rows as loaded after a re-process."""
    if not ids:
        return
    cur.executemany("update quarantine set reprocessed_at = ? where id = ?", [(now, i) for i in ids])


def running_runs(db: Database) -> list[tuple[int, str, datetime]]:
    """(run_id, source_id, started_at) of runs still marked running."""
    return [(int(r), s, t) for r, s, t in db.rows(
        "select run_id, source_id, started_at from source_runs where status = 'running' order by run_id")]


# --- the 数据接入 page: run history, quarantine pages, watchdog ----------------------------------------------


def successful_finishes(db: Database, source_id: str, since: datetime) -> list[datetime]:
    """When the successful runs of a source that finished at or after `since` finished, oldest first."""
    return [r[0] for r in db.rows(
        """select finished_at from source_runs where source_id = ? and status = 'ok' and finished_at >= ?
           order by finished_at""", [source_id, since])]


def quarantine_page(db: Database, source_id: str, limit: int, offset: int) -> list[dict]:
    """One page of a source's quarantined rows still waiting for re-processing, newest first."""
    return db.query(
        """select id, run_id, raw, reason, received_at from quarantine
           where source_id = ? and reprocessed_at is null order by id desc limit ? offset ?""",
        [source_id, limit, offset]).to_dicts()


def quarantine_count(db: Database, source_id: str) -> int:
    """How many quarantined rows of a source wait for re-processing."""
    row = db.one("select count(*) from quarantine where source_id = ? and reprocessed_at is null", [source_id])
    return int(row[0]) if row else 0


def mark_hung(cur: Cursor, run_id: int, reason: str) -> bool:
    """Mark a running run as hung (once); False when it was not running any more."""
    rows = cur.execute("update source_runs set status = 'hung', error_kind = 'transient', error = ? "
                       "where run_id = ? and status = 'running'", [reason, run_id]).fetchone()
    return bool(rows and rows[0])


def hung_run_ids(db: Database) -> list[tuple[int, str, str]]:
    """(run_id, source_id, reason) of runs marked hung and not finished since."""
    return [(int(r), s, e) for r, s, e in db.rows(
        "select run_id, source_id, error from source_runs where status = 'hung' order by run_id")]


def replace_freshness(cur: Cursor, rows: Sequence[tuple]) -> None:
    """Rewrite the source_freshness table: (source_id, name, dataset, level, last_success_at,
    silent_for_seconds, reason, checked_at) per source."""
    cur.execute("delete from source_freshness")
    if rows:
        cur.executemany("insert into source_freshness values (?, ?, ?, ?, ?, ?, ?, ?)", list(rows))


def freshness_rows(db: Database) -> list[dict]:
    """The source_freshness table as the warning engine reads it."""
    return db.query("select * from source_freshness order by source_id").to_dicts()


# --- manual form (一张表) submissions: append-only, the newest per street and period counts ----------------


def save_submission(cur: Cursor, source_id: str, street_code: str, period_start: datetime, values_json: str,
                    submitted_at: datetime, submitted_by: str) -> int:
    """Append a street's figures for a period (a resubmission supersedes the earlier row); returns its number."""
    seq = int(cur.execute("select nextval('form_submission_seq')").fetchone()[0])
    cur.execute(
        """insert into form_submissions (seq, source_id, street_code, period_start, values_json, submitted_at,
           submitted_by) values (?, ?, ?, ?, ?, ?, ?)""",
        [seq, source_id, street_code, period_start, values_json, submitted_at, submitted_by])
    return seq


_LATEST = """select seq, street_code, period_start, values_json, submitted_at, submitted_by,
    first_at, versions from (
    select s.*, row_number() over (partition by street_code, period_start order by seq desc) as newest,
           min(submitted_at) over (partition by street_code, period_start) as first_at,
           count(*) over (partition by street_code, period_start) as versions
    from form_submissions s where {where}) t where newest = 1 order by street_code, period_start"""


def submissions_for_period(db: Database, source_id: str, period_start: datetime) -> list[dict]:
    """The newest submission of every street that reported for one period (with when it first reported)."""
    return db.query(_LATEST.format(where="source_id = ? and period_start = ?"),
                    [source_id, period_start]).to_dicts()


def submissions_changed_after(db: Database, source_id: str, seq: int) -> list[dict]:
    """The newest submission of every (street, period) that has one numbered above `seq`."""
    return db.query(_LATEST.format(
        where="source_id = ? and (street_code, period_start) in (select street_code, period_start "
              "from form_submissions where source_id = ? and seq > ?)"), [source_id, source_id, seq]).to_dicts()


def last_submission_seq(db: Database, source_id: str) -> int:
    """The newest submission number of a source (0 when none)."""
    row = db.one("select coalesce(max(seq), 0) from form_submissions where source_id = ?", [source_id])
    return int(row[0]) if row else 0


def street_codes(db: Database, within: str | None) -> list[str]:
    """Codes of the street-level areas (inside the area code prefix `within` when given), in code order."""
    return [r[0] for r in db.rows(
        "select code from areas where level = 'street' and (cast(? as varchar) is null or starts_with(code, ?)) "
        "order by code", [within, within])]
