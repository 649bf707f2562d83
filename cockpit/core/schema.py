"""Tables owned by the core: areas, units, users and their preferences, the audit log.

DuckDB cannot ALTER a table that has an index: a later migration that changes an indexed table must
create a new table, copy the rows, and swap names.
"""

from cockpit.core.db import Migration

MIGRATIONS = [
    Migration("core", 1, "identity and audit", """
create table areas (
    code varchar primary key, name varchar not null, level varchar not null,
    parent_code varchar, kind varchar, population bigint);
create table units (
    unit_id varchar primary key, name varchar not null, short varchar, kind varchar not null,
    area_code varchar not null, domains varchar not null default '');
create table users (
    user_id varchar primary key, user_key varchar not null unique, display_name varchar not null,
    role varchar not null, unit_id varchar, area_code varchar not null, locale varchar,
    password_hash varchar not null, disabled boolean not null default false,
    failed_logins integer not null default 0, locked_until timestamptz,
    password_changed_at timestamptz not null, must_change_password boolean not null default false,
    totp_secret varchar, totp_last_step bigint, last_login_at timestamptz,
    created_at timestamptz not null);
create table password_history (user_id varchar not null, password_hash varchar not null, changed_at timestamptz not null);
create table user_prefs (user_id varchar primary key, prefs varchar not null, updated_at timestamptz not null);
create sequence audit_seq start 1;
create table audit_log (
    seq bigint primary key, occurred_at timestamptz not null, user_id varchar, ip varchar,
    action varchar not null, object varchar, detail varchar, outcome varchar not null,
    prev_hash varchar not null, hash varchar not null);
"""),
]
