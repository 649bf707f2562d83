"""Tables owned by the reports room: the briefing archive (the files live in the data directory)."""

from cockpit.core.db import Migration

MIGRATIONS = [
    Migration("reports", 1, "briefing archive", """
create table briefings (
    briefing_id varchar primary key, kind varchar not null, area_code varchar not null,
    period_start timestamptz not null, period_end timestamptz not null, issue_no integer not null,
    public boolean not null, generated_at timestamptz not null, generated_by varchar not null,
    numbers_sha256 varchar not null, folder varchar not null);
"""),
    Migration("reports", 2, "briefing generation events (what notification channels announce)", """
create sequence briefing_event_seq start 1;
create table briefing_events (
    event_id bigint primary key, briefing_id varchar not null, occurred_at timestamptz not null);
"""),
]
