"""Tables owned by the indicator engine."""

from cockpit.core.db import Migration

MIGRATIONS = [
    Migration("indicators", 1, "indicator values, fingerprints, working-day calendar", """
create table indicator_values (
    indicator_id varchar not null, area_code varchar not null, grain varchar not null,
    period_start timestamptz not null, value double, numerator double, denominator double,
    sample_size bigint, computed_at timestamptz not null, definition_version integer not null,
    primary key (indicator_id, grain, area_code, period_start));
create table indicator_fingerprints (
    indicator_id varchar not null, day date not null, area_code varchar not null,
    row_count bigint not null, checksum varchar not null,
    primary key (indicator_id, day, area_code));
create table indicator_state (
    indicator_id varchar primary key, config_hash varchar not null, evaluated_at timestamptz not null,
    data_time timestamptz);
create table indicator_workdays (
    day date primary key, workday boolean not null, seconds_before bigint not null);
"""),
    Migration("indicators", 2, "the dataset data version each indicator last evaluated", """
create table indicator_inputs (
    indicator_id varchar primary key, data_version bigint not null);
"""),
]
