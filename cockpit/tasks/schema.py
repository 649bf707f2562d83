"""Tables owned by the tasks room: tasks, their timeline, their attachments. Routing lives in the config."""

from cockpit.core.db import Migration

MIGRATIONS = [
    Migration("tasks", 1, "tasks, events and attachments", """
create sequence task_seq start 1;
create table tasks (
    task_id varchar primary key, title varchar not null, body varchar not null,
    origin varchar not null, origin_id varchar,
    origin_key varchar unique,
    from_unit varchar not null, to_unit varchar not null, area_code varchar not null, domain varchar,
    priority varchar not null, state varchar not null,
    progress integer not null default 0, reported_progress integer not null default 0,
    parent_task_id varchar, created_by varchar not null, created_at timestamptz not null,
    accept_due timestamptz not null, finish_due timestamptz not null, updated_at timestamptz not null,
    accepted_at timestamptz, submitted_at timestamptz, closed_at timestamptz, paused_at timestamptz,
    request_kind varchar, request_reason varchar, request_until timestamptz, requested_by varchar,
    verified_at timestamptz, verified_by varchar,
    solved boolean, satisfied boolean, followed_up_at timestamptz,
    card varchar not null default 'none', card_phase varchar, urge_count integer not null default 0,
    yellow_cards integer not null default 0, red_cards integer not null default 0);
create index tasks_to_unit on tasks (to_unit, state);
create index tasks_area on tasks (area_code, state);
create index tasks_parent on tasks (parent_task_id);
create sequence task_event_seq start 1;
create table task_events (
    event_id bigint primary key, task_id varchar not null, occurred_at timestamptz not null,
    actor_id varchar, actor_unit varchar, action varchar not null, from_state varchar,
    to_state varchar not null, progress integer, note varchar, detail varchar not null default '{}');
create index task_events_task on task_events (task_id, event_id);
create table task_attachments (
    attachment_id varchar primary key, task_id varchar not null, event_id bigint,
    filename varchar not null, content_type varchar not null, size_bytes bigint not null,
    sha256 varchar not null, stored_path varchar not null, uploaded_by varchar not null,
    uploaded_at timestamptz not null);
create index task_attachments_task on task_attachments (task_id);
"""),
]
