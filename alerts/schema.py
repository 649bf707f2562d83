"""Tables owned by the alerts room: warnings and their events, rule states, silences, plans, handovers.

`warning_events` is the contract with the notification stages (see alerts/README.md): append-only,
read in `event_id` order.
"""

from cockpit.core.db import Migration

MIGRATIONS = [
    Migration("alerts", 1, "warnings, events, rule states, silences, plans, handovers, level overrides", """
create sequence warning_seq start 1;
create sequence warning_event_seq start 1;
create table warnings (
    warning_id varchar primary key, rule_id varchar not null, kind varchar not null, indicator_id varchar,
    source_id varchar, area_code varchar not null, domain varchar, level varchar not null, state varchar not null,
    open boolean not null, reason varchar not null, reason_args varchar not null default '{}', detail varchar,
    value double, threshold double, started_at timestamptz not null, fired_at timestamptz,
    last_eval_at timestamptz not null, acknowledged_at timestamptz, acknowledged_by varchar, ack_comment varchar,
    resolved_at timestamptz, tier varchar, tier_since timestamptz, task_id varchar,
    timers varchar not null default '{}', clear_since timestamptz);
create table warning_events (
    event_id bigint primary key, warning_id varchar, rule_id varchar not null, indicator_id varchar,
    area_code varchar not null, domain varchar, occurred_at timestamptz not null, recorded_at timestamptz not null,
    kind varchar not null, from_state varchar, to_state varchar, level varchar, prev_level varchar,
    value double, threshold double, reason varchar not null, reason_args varchar not null default '{}',
    detail varchar, actor varchar not null, comment varchar, tier varchar, silenced boolean not null default false);
create table alert_rule_state (
    rule_id varchar primary key, state varchar not null, reason varchar not null, since timestamptz not null,
    open_count integer not null);
create table silences (
    silence_id varchar primary key, created_by varchar not null, created_at timestamptz not null,
    reason varchar not null, ends_at timestamptz not null, source_id varchar, indicator_id varchar,
    area_code varchar, suppressed bigint not null default 0, cancelled_at timestamptz, cancelled_by varchar);
create table plan_activations (
    activation_id varchar primary key, plan_id varchar not null, warning_id varchar, area_code varchar not null,
    level varchar, state varchar not null, started_at timestamptz not null, started_by varchar not null,
    ended_at timestamptz, ended_by varchar);
create table plan_activation_events (
    activation_id varchar not null, occurred_at timestamptz not null, kind varchar not null, actor varchar not null,
    level varchar, note varchar);
create table plan_proposals (
    activation_id varchar not null, seq integer not null, unit_id varchar not null, title varchar not null,
    body varchar not null, priority varchar, finish_due timestamptz not null, task_id varchar,
    dispatched_by varchar, dispatched_at timestamptz, primary key (activation_id, seq));
create table handovers (
    handover_id varchar primary key, area_code varchar not null, written_by varchar not null,
    written_at timestamptz not null, notes varchar not null, open_warnings varchar not null,
    open_tasks varchar not null, acknowledged_by varchar, acknowledged_at timestamptz);
create table rule_level_changes (
    indicator_id varchar not null, level varchar not null, field varchar not null, value varchar,
    old_value varchar, changed_by varchar not null, changed_at timestamptz not null);
"""),
]
