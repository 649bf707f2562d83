"""Login, server-side sessions and logout.

The browser holds only a random token; the server stores its hash, so a captured cookie is useless after
logout or expiry. A new token is issued at login and again when the second factor completes (no fixation).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cockpit.auth import store as auth_store
from cockpit.auth.passwords import verify_password
from cockpit.core import store
from cockpit.core.audit import Actor, audit
from cockpit.core.clock import Clock, SystemClock
from cockpit.core.config import Config
from cockpit.core.db import Database
from cockpit.core.i18n import N_
from cockpit.core.store import User


@dataclass(frozen=True)
class SessionPolicy:
    """How long sessions live, when accounts lock, what passwords must be, who needs a second factor."""

    idle_minutes: int = 30
    max_hours: int = 12
    lock_after_failures: int = 5
    lock_minutes: int = 30
    password_min_length: int = 8
    password_min_classes: int = 3
    password_max_age_days: int | None = 90
    password_history: int = 5
    totp_roles: frozenset[str] = field(default_factory=frozenset)
    totp_issuer: str = "城市运行驾驶舱"

    @classmethod
    def from_config(cls, config: Config) -> SessionPolicy:
        """The policy a deployment configured (server.* and security.*)."""
        sec = config.security
        return cls(
            config.server.session_idle_minutes, config.server.session_max_hours, sec.lock_after_failures,
            sec.lock_minutes, sec.password_min_length, sec.password_min_classes, sec.password_max_age_days,
            sec.password_history, frozenset(sec.totp_roles), sec.totp_issuer,
        )


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt: a token (maybe only at the second-factor stage), or a reason msgid."""

    token: str | None
    user: User | None
    reason: str | None = None
    stage: str = "full"


@dataclass(frozen=True)
class Session:
    """A live session: whose it is and how far its login got (`full`, or `mfa` awaiting the second factor)."""

    user: User
    stage: str
    token_hash: str


BAD_CREDENTIALS = N_("Wrong user name or password.")
LOCKED = N_("This account is locked after repeated failures. Try again later or ask an administrator.")
DISABLED = N_("This account is disabled.")
MFA_MINUTES = 5


def token_hash(token: str) -> str:
    """What the server stores for a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def login(
    db: Database, user_id: str, password: str, ip: str | None, policy: SessionPolicy, clock: Clock | None = None
) -> LoginResult:
    """Check the credentials and open a session. Unknown user and wrong password read the same."""
    clock = clock or SystemClock()
    now = clock.now()
    account = store.user_by_key(db, user_id)
    ok = verify_password(store.password_hash(db, account.user_id) if account else None, password)
    if account is None:
        audit(db, Actor(None, ip), "auth.login", f"user:{user_id[:64]}", "unknown user", outcome="failed", clock=clock)
        return LoginResult(None, None, BAD_CREDENTIALS)
    user_id = account.user_id
    actor = Actor(user_id, ip)
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
        if count >= policy.lock_after_failures:
            audit(db, actor, "auth.lock", f"user:{user_id}", f"{policy.lock_minutes} min", clock=clock)
        return LoginResult(None, None, BAD_CREDENTIALS)
    stage = "mfa" if account.role in policy.totp_roles else "full"
    token = secrets.token_urlsafe(32)
    lifetime = timedelta(minutes=MFA_MINUTES) if stage == "mfa" else timedelta(hours=policy.max_hours)
    with db.transaction() as cur:
        if stage == "full":
            store.record_login_success(cur, user_id, now)
        auth_store.insert_session(cur, token_hash(token), user_id, now, now + lifetime, ip, stage)
    audit(db, actor, "auth.login" if stage == "full" else "auth.password_ok", f"user:{user_id}", clock=clock)
    return LoginResult(token, account, stage=stage)


def resolve(db: Database, token: str | None, policy: SessionPolicy, clock: Clock | None = None) -> Session | None:
    """The live session of `token`, or None when unknown, revoked, idle too long or past its lifetime."""
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
    stage = auth_store.session_stage(db, digest)
    return Session(account, stage[0] if stage else "full", digest)


def complete_second_factor(
    db: Database, session: Session, ip: str | None, policy: SessionPolicy, clock: Clock | None = None
) -> str:
    """Replace an `mfa`-stage session by a full one with a new token; return the new token."""
    clock = clock or SystemClock()
    now = clock.now()
    token = secrets.token_urlsafe(32)
    with db.transaction() as cur:
        auth_store.revoke_session(cur, session.token_hash)
        store.record_login_success(cur, session.user.user_id, now)
        auth_store.insert_session(cur, token_hash(token), session.user.user_id, now,
                                  now + timedelta(hours=policy.max_hours), ip)
    audit(db, Actor(session.user.user_id, ip), "auth.login", f"user:{session.user.user_id}", "second factor ok",
          clock=clock)
    return token


def password_change_due(user: User, policy: SessionPolicy, now: datetime) -> bool:
    """Whether the user must change the password before doing anything else (first login or too old)."""
    if user.must_change_password:
        return True
    if policy.password_max_age_days is None or user.password_changed_at is None:
        return False
    return user.password_changed_at + timedelta(days=policy.password_max_age_days) <= now


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
