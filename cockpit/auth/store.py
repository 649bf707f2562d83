"""Named queries of auth: sessions."""

from __future__ import annotations

from datetime import datetime

from cockpit.core.db import Cursor, Database


def insert_session(cur: Cursor, token_hash: str, user_id: str, now: datetime, expires_at: datetime, ip: str | None,
                   stage: str = "full"):
    """Store a new session; `stage` is `full` or `mfa` (password checked, second factor pending)."""
    cur.execute(
        """insert into sessions (token_hash, user_id, created_at, last_seen_at, expires_at, ip, stage)
           values (?, ?, ?, ?, ?, ?, ?)""",
        [token_hash, user_id, now, now, expires_at, ip, stage],
    )


def session_stage(db: Database, token_hash: str) -> tuple[str, str | None] | None:
    """(stage, pending TOTP secret) of a session."""
    return db.one("select stage, pending_totp from sessions where token_hash = ?", [token_hash])


def set_pending_totp(cur: Cursor, token_hash: str, secret: str) -> None:
    """Keep a TOTP secret being enrolled with the session until the first code confirms it."""
    cur.execute("update sessions set pending_totp = ? where token_hash = ?", [secret, token_hash])


def session(db: Database, token_hash: str) -> tuple | None:
    """(user_id, created_at, last_seen_at, expires_at, revoked) of a session, or None."""
    return db.one(
        "select user_id, created_at, last_seen_at, expires_at, revoked from sessions where token_hash = ?", [token_hash]
    )


def touch_session(cur: Cursor, token_hash: str, now: datetime) -> None:
    """Record activity on a session (extends the idle timeout)."""
    cur.execute("update sessions set last_seen_at = ? where token_hash = ?", [now, token_hash])


def revoke_session(cur: Cursor, token_hash: str) -> None:
    """End a session on the server."""
    cur.execute("update sessions set revoked = true where token_hash = ?", [token_hash])


def revoke_user_sessions(cur: Cursor, user_id: str) -> None:
    """End every session of a user (password reset, disable)."""
    cur.execute("update sessions set revoked = true where user_id = ?", [user_id])


def purge_sessions(cur: Cursor, before: datetime) -> None:
    """Forget sessions that ended before `before`."""
    cur.execute("delete from sessions where expires_at < ? or (revoked and last_seen_at < ?)", [before, before])
