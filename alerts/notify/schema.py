"""Tables of the notification stages: every notification with its delivery, the read positions, open warnings."""

from cockpit.core.db import Migration

MIGRATIONS = [
    Migration("notify", 1, "notifications, feed cursors, open warnings per receiver", """
create sequence notification_seq start 1;
create table notifications (
    notification_id bigint primary key, created_at timestamptz not null, kind varchar not null,
    reason varchar not null, receiver varchar not null, channel varchar not null, group_key varchar not null,
    area_code varchar not null, domain varchar, level varchar, unit_id varchar,
    title varchar not null, summary varchar not null, items varchar not null, item_count integer not null,
    status varchar not null, due_at timestamptz not null, attempts integer not null default 0,
    last_attempt_at timestamptz, sent_at timestamptz, result varchar);
create table notification_cursors (
    feed varchar primary key, last_id bigint not null, updated_at timestamptz not null);
create table notification_open (
    receiver varchar not null, key varchar not null, labels varchar not null, title varchar not null,
    level varchar, opened_at timestamptz not null, last_notified_at timestamptz, primary key (receiver, key));
"""),
    Migration("notify", 2, "acknowledged warnings: no repeats, still told when resolved", """
create table notification_acks (key varchar primary key, acknowledged_at timestamptz not null);
"""),
]
