"""Tables owned by auth: server-side sessions."""

from cockpit.core.db import Migration

MIGRATIONS = [
    Migration("auth", 1, "sessions", """
create table sessions (
    token_hash varchar primary key, user_id varchar not null, created_at timestamptz not null,
    last_seen_at timestamptz not null, expires_at timestamptz not null, ip varchar,
    revoked boolean not null default false,
    stage varchar not null default 'full', pending_totp varchar);
create index sessions_user on sessions (user_id);
"""),
]
