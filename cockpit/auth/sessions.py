"""Login, server-side sessions and logout.

The browser holds only a random token; the server stores its hash, so a captured cookie is useless after
logout or expiry, and the token is new at every login (no session fixation).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from cockpit.auth import store as auth_store
from cockpit.auth.passwords import verify_password
from cockpit.core import store
from cockpit.core.audit import Actor, audit
from cockpit.core.clock import Clock, SystemClock
from cockpit.core.db import Database
from cockpit.core.i18n import N_
from cockpit.core.store import User


@dataclass(frozen=True)
class SessionPolicy:
    """How long sessions live and when accounts lock."""

    idle_minutes: int = 30
    max_hours: int = 12
    lock_after_failures: int = 5
    lock_minutes: int = 15


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt: a token, or a reason (msgid) shown to the person."""

    token: str | None
    user: User | None
    reason: str | None = None


BAD_CREDENTIALS = N_("Wrong user name or password.")
LOCKED = N_("This account is locked after repeated failures. Try again later or ask an administrator.")
DISABLED = N_("This account is disabled.")


def token_hash(token: str) -> str:
    """What the server stores for a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def login(
    db: Database, user_id: str, password: str, ip: str | None, policy: SessionPolicy, clock: Clock | None = None
) -> LoginResult:
    """Check the credentials and open a session. Unknown user and wrong password read the same."""
    clock = clock or SystemClock()
    now = clock.now()
    account = store.user(db, user_id)
    ok = verify_password(store.password_hash(db, user_id) if account else None, password)
    actor = Actor(user_id if account else None, ip)
    if account is None:
        audit(db, actor, "auth.login", f"user:{user_id}", "unknown user", outcome="failed", clock=clock)
        return LoginResult(None, None, BAD_CREDENTIALS)
    if account.locked_until is not None and account.locked_until > now:
        audit(db, actor, "auth.login", f"user:{user_id}", "account locked", outcome="denied", clock=clock)
        return LoginResult(None, None, LOCKED)
    if account.disabled:
        audit(db, actor, "auth.login", f"user:{user_id}", "account disabled", outcome="denied", clock=clock)
        return LoginResult(None, None, DISABLED)
    if not ok:
        with db.transaction() as cur:
            count = store.record_login_failure(
                cur, user_id, policy.lock_after_failures, now + timedelta(minutes=policy.lock_minutes)
            )
        audit(db, actor, "auth.login", f"user:{user_id}", f"wrong password ({count})", outcome="failed", clock=clock)
        return LoginResult(None, None, BAD_CREDENTIALS)
    token = secrets.token_urlsafe(32)
    with db.transaction() as cur:
        store.record_login_success(cur, user_id)
        auth_store.insert_session(cur, token_hash(token), user_id, now, now + timedelta(hours=policy.max_hours), ip)
    audit(db, actor, "auth.login", f"user:{user_id}", clock=clock)
    return LoginResult(token, account)


def resolve(db: Database, token: str | None, policy: SessionPolicy, clock: Clock | None = None) -> User | None:
    """The user of a live session, or None when the token is unknown, revoked, idle too long or expired."""
    if not token:
        return None
    now = (clock or SystemClock()).now()
    digest = token_hash(token)
    row = auth_store.session(db, digest)
    if row is None:
        return None
    user_id, _created, last_seen, expires_at, revoked = row
    if revoked or expires_at <= now or last_seen + timedelta(minutes=policy.idle_minutes) <= now:
        return None
    account = store.user(db, user_id)
    if account is None or account.disabled:
        return None
    # Writing on every request would serialise reads behind the write lock; a minute's resolution is enough.
    if now - last_seen > timedelta(minutes=1):
        with db.transaction() as cur:
            auth_store.touch_session(cur, digest, now)
    return account


def logout(db: Database, token: str | None, ip: str | None, clock: Clock | None = None) -> None:
    """End the session on the server."""
    if not token:
        return
    digest = token_hash(token)
    row = auth_store.session(db, digest)
    with db.transaction() as cur:
        auth_store.revoke_session(cur, digest)
    if row is not None:
        audit(db, Actor(row[0], ip), "auth.logout", f"user:{row[0]}", clock=clock)
