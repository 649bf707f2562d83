"""Backups of the database file: taken in-process while the app runs, kept for a configured number of days."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import duckdb

from cockpit.core.db import Database

PATTERN = "cockpit-%Y%m%dT%H%M%SZ.duckdb"


def take_backup(db: Database, folder: Path, now: datetime, keep: int = 14) -> Path:
    """Write a consistent backup named after `now` into `folder` and keep only the newest `keep` backups."""
    target = folder / now.strftime(PATTERN)
    db.backup_to(target)
    backups = sorted(folder.glob("cockpit-*.duckdb"))
    for old in backups[:-keep] if keep > 0 else []:
        old.unlink()
    return target


def restore(backup: Path, database_path: Path) -> Path:
    """Replace the database file by `backup` (the server must be stopped); the old file is kept beside it.

    Raises:
        ValueError: when the backup is not a readable DuckDB database.
    """
    try:
        con = duckdb.connect(str(backup), read_only=True)
        con.execute("select count(*) from schema_migrations").fetchall()
        con.close()
    except duckdb.Error as exc:
        raise ValueError(f"不是可用的备份 / not a usable backup: {backup}: {exc}") from None
    kept = database_path.with_suffix(".before-restore.duckdb")
    if database_path.exists():
        shutil.move(database_path, kept)
        wal = database_path.with_suffix(database_path.suffix + ".wal")
        if wal.exists():
            wal.unlink()
    shutil.copyfile(backup, database_path)
    return kept
