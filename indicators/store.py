"""Named queries of the indicator engine: measure SQL compiled from the closed measure table, values,
fingerprints and state. The only SQL in `indicators`.

Measures become SQL from structured configuration only: identifiers are checked against a strict pattern
and double-quoted, values are bound parameters, operators come from a fixed table. Aggregates use the
standard `FILTER (WHERE …)` and `percentile_cont(q) WITHIN GROUP (ORDER BY …)` forms PostgreSQL shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from cockpit.core.config.indicators import Filter
from cockpit.core.db import Cursor, Database

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TZ = re.compile(r"^[A-Za-z0-9_/+\-]+$")
_OPS = {"eq": "=", "ne": "<>", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "in": "in", "not_in": "not in"}
_GRAINS = ("hour", "day", "week", "month", "year")
_AREA_LEN = {"street": 9, "district": 6}
VALUE_COLS = ["indicator_id", "area_code", "grain", "period_start", "value", "numerator", "denominator",
              "sample_size", "computed_at", "definition_version"]


def q(name: str) -> str:
    """A quoted identifier; anything but a plain name is refused."""
    if not _IDENT.match(name):
        raise ValueError(f"not a plain identifier: {name!r}")
    return f'"{name}"'


@dataclass(frozen=True)
class MeasureQuery:
    """One measure over one dataset, grouped by area (at `level`) and period (of `grain`, local time)."""

    dataset: str
    time: str
    area: str
    level: str
    grain: str
    tz: str
    city_code: str
    measure: object
    time_from: datetime | None = None     # raw time range read (UTC), for incremental runs
    time_to: datetime | None = None
    areas: tuple[str, ...] | None = None  # only these areas at `level`
    period_from: datetime | None = None   # the definition version's validity
    period_to: datetime | None = None


def run_measure(db: Database, mq: MeasureQuery) -> pl.DataFrame:
    """Raw aggregates per (area_code, period_start): numerator, denominator, sample_size, value and, for
    AQI, mean concentrations `c_<pollutant>`. Value rules (ratio scale, AQI) are applied by the engine."""
    sql, params = _measure_sql(mq)
    return db.query(sql, params)


def _cond(filters: list[Filter]) -> tuple[str, list]:
    parts, params = [], []
    for f in filters:
        col = q(f.column)
        if f.op == "is_null":
            parts.append(f"{col} is null")
        elif f.op == "not_null":
            parts.append(f"{col} is not null")
        elif f.ref is not None:
            parts.append(f"{col} {_OPS[f.op]} {q(f.ref)}")
        elif f.op in ("in", "not_in"):
            parts.append(f"{col} {_OPS[f.op]} ({', '.join('?' for _ in f.value)})")
            params.extend(f.value)
        else:
            parts.append(f"{col} {_OPS[f.op]} ?")
            params.append(f.value)
    return (" and ".join(parts) or "true"), params


def _filtered(agg: str, filters: list[Filter], params: list) -> str:
    cond, p = _cond(filters)
    params.extend(p)
    return agg if cond == "true" else f"{agg} filter (where {cond})"


def _local(expr: str, tz: str) -> str:
    return f"({expr} at time zone '{tz}')"


def _measure_sql(mq: MeasureQuery) -> tuple[str, list]:
    if not _TZ.match(mq.tz) or mq.grain not in _GRAINS:
        raise ValueError(f"bad time zone or grain {mq.tz!r} {mq.grain!r}")
    m, tz, params = mq.measure, mq.tz, []
    time, area = q(mq.time), q(mq.area)
    area_expr = {"street": area, "district": f"left({area}, 6)", "city": "?"}[mq.level]
    if mq.level == "city":  # the select list's `?` comes before the where clause's parameters
        params.append(mq.city_code)
    period = f"(date_trunc('{mq.grain}', {_local(f't.{time}', tz)}) at time zone '{tz}')"
    extra = ""
    joins = ""
    if m.type == "working_days":
        s, e = f"t.{q(m.start)}", f"t.{q(m.end)}"
        joins = (f" left join indicator_workdays ws on ws.day = cast({_local(s, tz)} as date)"
                 f" left join indicator_workdays we on we.day = cast({_local(e, tz)} as date)")
        extra = f", (({_clock('we', e, tz)}) - ({_clock('ws', s, tz)})) / 86400.0 as _wd"
    where = [f"t.{time} is not null", f"t.{area} like ?"]
    params.append(_prefix(mq.city_code) + "%")
    if mq.level in _AREA_LEN:
        where.append(f"length(t.{area}) >= {_AREA_LEN[mq.level]}")
    if mq.time_from is not None:
        where.append(f"t.{time} >= ?")
        params.append(mq.time_from)
    if mq.time_to is not None:
        where.append(f"t.{time} < ?")
        params.append(mq.time_to)
    if mq.areas is not None and mq.level != "city":
        where.append(f"{area_expr.replace(area, 't.' + area)} in ({', '.join('?' for _ in mq.areas) or 'null'})")
        params.extend(mq.areas)
    area_sel = area_expr.replace(area, f"t.{area}") if mq.level != "city" else "?"
    base = (f"with rows0 as (select t.*, {area_sel} as _area, {period} as _period{extra} "
            f"from {q(mq.dataset)} t{joins} where {' and '.join(where)}), "
            f"base as (select * from rows0 where (? is null or _period >= ?) and (? is null or _period < ?))")
    params += [mq.period_from, mq.period_from, mq.period_to, mq.period_to]
    aggs, agg_params = _aggregates(m, time)
    if m.type == "latest":
        sql = base + agg_params.pop(0)
    else:
        sql = base + f" select _area as area_code, _period as period_start, {aggs} from base group by _area, _period"
    return sql, params + agg_params


def _clock(alias: str, expr: str, tz: str) -> str:
    local = _local(expr, tz)
    return (f"{alias}.seconds_before + case when {alias}.workday then "
            f"extract(epoch from ({local} - date_trunc('day', {local}))) else 0 end")


def _aggregates(m, time: str) -> tuple[str, list]:
    p: list = []
    w = list(getattr(m, "where", []))
    if m.type == "count":
        return f"{_filtered('count(*)', w, p)} as numerator, null as denominator, count(*) as sample_size", p
    if m.type == "distinct_count":
        return (f"{_filtered(f'count(distinct {q(m.column)})', w, p)} as numerator, null as denominator, "
                f"count(*) as sample_size"), p
    if m.type == "sum":
        return (f"{_filtered(f'sum({q(m.column)})', w, p)} as numerator, null as denominator, "
                f"{_filtered(f'count({q(m.column)})', w, p)} as sample_size"), p
    if m.type == "mean":
        return (f"{_filtered(f'sum({q(m.column)})', w, p)} as numerator, "
                f"{_filtered(f'count({q(m.column)})', w, p)} as denominator, "
                f"{_filtered(f'count({q(m.column)})', w, p)} as sample_size"), p
    if m.type == "ratio":
        parts = []
        for rows in (m.numerator, m.denominator):
            agg = f"sum({q(rows.column)})" if rows.column else "count(*)"
            parts.append(_filtered(agg, w + list(rows.where), p))
        return (f"{parts[0]} as numerator, {parts[1]} as denominator, "
                f"{_filtered('count(*)', w, p)} as sample_size"), p
    if m.type in ("median", "percentile", "working_days"):
        col = "_wd" if m.type == "working_days" else q(m.column)
        if m.type == "working_days" and m.stat == "mean":
            return (f"{_filtered('sum(_wd)', w, p)} as numerator, {_filtered('count(_wd)', w, p)} as denominator, "
                    f"{_filtered('count(_wd)', w, p)} as sample_size"), p
        qv = 0.5 if m.type == "median" or getattr(m, "stat", "") == "median" else float(m.q)
        return (f"{_filtered(f'percentile_cont({qv}) within group (order by {col})', w, p)} as value, "
                f"null as numerator, null as denominator, {_filtered(f'count({col})', w, p)} as sample_size"), p
    if m.type == "aqi":
        cols = [f"{_filtered(f'avg({q(c)})', w, p)} as c_{name}" for name, c in m.pollutants.items()]
        return ", ".join(cols) + f", null as numerator, null as denominator, {_filtered('count(*)', w, p)} as sample_size", p
    if m.type == "latest":
        cond, cp = _cond(w)
        sql = (f", ranked as (select _area, _period, {q(m.column)} as v, row_number() over (partition by _area, "
               f"_period, {q(m.entity)} order by {time} desc) as rn from base where {cond} and {q(m.column)} is not null) "
               f"select _area as area_code, _period as period_start, {m.combine}(v) as value, null as numerator, "
               f"null as denominator, count(*) as sample_size from ranked where rn = 1 group by _area, _period")
        return "", [sql, *cp]
    raise ValueError(f"not a row measure: {m.type}")


def _prefix(city_code: str) -> str:
    return city_code.rstrip("0") if len(city_code) == 6 else city_code


# --- working-day calendar ------------------------------------------------------------------------------------

def ensure_workdays(db: Database, rows_factory) -> None:
    """Fill `indicator_workdays` once (rows_factory() → [(day, workday, seconds_before)])."""
    if db.one("select count(*) from indicator_workdays")[0]:
        return
    frame = pl.DataFrame(rows_factory(), schema=["day", "workday", "seconds_before"], orient="row")
    with db.transaction() as cur:
        db.append_arrow(cur, "indicator_workdays", frame)


# --- fingerprints: what changed since the last evaluation ------------------------------------------------------

def fingerprints(db: Database, dataset: str, columns: list[str], time: str, area: str, tz: str) -> pl.DataFrame:
    """(day, area_code, row_count, checksum) of a dataset by local day of `time` and area code."""
    if not _TZ.match(tz):
        raise ValueError(f"bad time zone {tz!r}")
    cols = ", ".join(q(c) for c in columns)
    return db.query(
        f"""select cast({_local(q(time), tz)} as date) as day, {q(area)} as area_code, count(*) as row_count,
                   cast(sum(cast(hash({cols}) as hugeint)) as varchar) as checksum
            from {q(dataset)} where {q(time)} is not null and {q(area)} is not null group by all""")


def stored_fingerprints(db: Database, indicator_id: str) -> pl.DataFrame:
    """The fingerprints recorded at the indicator's last evaluation."""
    return db.query("select day, area_code, row_count, checksum from indicator_fingerprints where indicator_id = ?",
                    [indicator_id])


def save_fingerprints(cur: Cursor, db: Database, indicator_id: str, frame: pl.DataFrame,
                      keys: pl.DataFrame | None = None) -> None:
    """Replace the indicator's fingerprints by `frame` (inside the caller's transaction): all of them, or only
    those of the (day, area_code) `keys` that changed — rewriting a year × every street on each incremental
    run cost more than the evaluation itself."""
    if keys is None:
        cur.execute("delete from indicator_fingerprints where indicator_id = ?", [indicator_id])
    elif not keys.height:
        return
    else:
        name = "_fp_keys"
        cur.register(name, keys.select("day", "area_code").to_arrow())
        try:
            cur.execute(f"""delete from indicator_fingerprints f where indicator_id = ? and exists (
                select 1 from {name} k where k.day = f.day and k.area_code = f.area_code)""", [indicator_id])
        finally:
            cur.unregister(name)
        frame = frame.join(keys.select("day", "area_code"), on=["day", "area_code"], how="semi")
    db.append_arrow(cur, "indicator_fingerprints", frame.with_columns(pl.lit(indicator_id).alias("indicator_id")))


def state(db: Database, indicator_id: str) -> tuple[str, datetime] | None:
    """(config hash, evaluated_at) of the indicator's last evaluation."""
    row = db.one("select config_hash, evaluated_at from indicator_state where indicator_id = ?", [indicator_id])
    return (row[0], row[1]) if row else None


def save_state(cur: Cursor, indicator_id: str, config_hash: str, now: datetime) -> None:
    """Record an evaluation."""
    cur.execute(
        """insert into indicator_state (indicator_id, config_hash, evaluated_at) values (?, ?, ?)
           on conflict (indicator_id) do update set config_hash = excluded.config_hash,
           evaluated_at = excluded.evaluated_at""", [indicator_id, config_hash, now])


def touch_states(cur: Cursor, indicator_ids: list[str], now: datetime) -> None:
    """Record that these (already evaluated) indicators were found unchanged at `now`, in one statement."""
    if indicator_ids:
        cur.execute(f"update indicator_state set evaluated_at = ? where indicator_id in "
                    f"({', '.join('?' for _ in indicator_ids)})", [now, *indicator_ids])


def dataset_version(db: Database, dataset: str) -> int:
    """The data version connectors bump whenever they write rows of `dataset` (0: never bumped)."""
    return db.data_version(f"dataset:{dataset}")


def seen_versions(db: Database) -> dict[str, int]:
    """The dataset data version each row indicator saw at its last evaluation."""
    return {r[0]: int(r[1]) for r in db.rows("select indicator_id, data_version from indicator_inputs")}


def save_seen_version(cur: Cursor, indicator_id: str, version: int) -> None:
    """Record the dataset data version an evaluation read (inside its transaction)."""
    cur.execute(
        """insert into indicator_inputs (indicator_id, data_version) values (?, ?)
           on conflict (indicator_id) do update set data_version = excluded.data_version""",
        [indicator_id, version])


def states(db: Database) -> dict[str, tuple[str, datetime]]:
    """(config hash, evaluated_at) of every evaluated indicator."""
    return {r[0]: (r[1], r[2]) for r in db.rows("select indicator_id, config_hash, evaluated_at from indicator_state")}


# --- values ---------------------------------------------------------------------------------------------------

def replace_values(cur: Cursor, db: Database, indicator_id: str, grain: str, frame: pl.DataFrame,
                   keys: pl.DataFrame | None) -> None:
    """Replace the values of (area_code, period_start) `keys` (all of the grain when None) by `frame`."""
    if keys is None:
        cur.execute("delete from indicator_values where indicator_id = ? and grain = ?", [indicator_id, grain])
    elif keys.height:
        name = "_ind_keys"
        cur.register(name, keys.select("area_code", "period_start").to_arrow())
        try:
            cur.execute(f"""delete from indicator_values v where indicator_id = ? and grain = ? and exists (
                select 1 from {name} k where k.area_code = v.area_code and k.period_start = v.period_start)""",
                        [indicator_id, grain])
        finally:
            cur.unregister(name)
    db.append_arrow(cur, "indicator_values", frame.select(VALUE_COLS))


def values(db: Database, indicator_id: str, grain: str, areas: list[str] | None = None,
           start: datetime | None = None, end: datetime | None = None) -> pl.DataFrame:
    """Stored values of one indicator and grain, optionally for some areas and a period range, in order."""
    area_sql = f" and area_code in ({', '.join('?' for _ in areas)})" if areas else ""
    return db.query(
        f"""select {', '.join(VALUE_COLS)} from indicator_values where indicator_id = ? and grain = ?{area_sql}
            and (? is null or period_start >= ?) and (? is null or period_start < ?)
            order by area_code, period_start""",
        [indicator_id, grain, *(areas or []), start, start, end, end])


def values_of(db: Database, indicator_ids: list[str], grain: str) -> pl.DataFrame:
    """Stored values of several indicators at one grain (inputs of derived and composite indicators)."""
    if not indicator_ids:
        return pl.DataFrame(schema={c: pl.Null for c in VALUE_COLS})
    return db.query(
        f"select {', '.join(VALUE_COLS)} from indicator_values where grain = ? and indicator_id in "
        f"({', '.join('?' for _ in indicator_ids)})", [grain, *indicator_ids])


def values_at(db: Database, indicator_ids: list[str], grain: str, keys: pl.DataFrame) -> pl.DataFrame:
    """Stored values of several indicators at one grain, only at the (area_code, period_start) `keys`."""
    name = f"_at_keys_{id(keys)}"
    cur = db.cursor()
    cur.register(name, keys.select("area_code", "period_start").unique().to_arrow())
    try:
        return db.query(
            f"""select {', '.join('v.' + c for c in VALUE_COLS)} from indicator_values v
                join {name} k on k.area_code = v.area_code and k.period_start = v.period_start
                where v.grain = ? and v.indicator_id in ({', '.join('?' for _ in indicator_ids)})""",
            [grain, *indicator_ids])
    finally:
        cur.unregister(name)


def all_values(db: Database, indicator_id: str | None = None) -> pl.DataFrame:
    """Every stored value (tests and exports), in key order."""
    return db.query(
        f"""select {', '.join(VALUE_COLS)} from indicator_values where (? is null or indicator_id = ?)
            order by indicator_id, grain, area_code, period_start""", [indicator_id, indicator_id])


def latest_period(db: Database, indicator_id: str, grain: str, area_code: str) -> datetime | None:
    """The newest period with a value for this indicator, grain and area."""
    row = db.one("""select max(period_start) from indicator_values where indicator_id = ? and grain = ?
                    and area_code = ?""", [indicator_id, grain, area_code])
    return row[0] if row else None


def table_exists(db: Database, name: str) -> bool:
    """Whether a dataset table has been created (by its connector) yet."""
    return bool(db.one("select count(*) from information_schema.tables where table_name = ?", [name])[0])


def bump(cur: Cursor, db: Database) -> None:
    """Tell polling pages that indicator values changed."""
    db.bump(cur, "indicators")


# --- batched reads for pages (one statement for many tiles) ---------------------------------------------------

@dataclass(frozen=True)
class ValueSelection:
    """Stored values of one indicator and grain for some areas: at the exact `periods`, or in [start, end)."""

    indicator_id: str
    grain: str
    areas: tuple[str, ...]
    start: datetime | None = None
    end: datetime | None = None
    periods: tuple[datetime, ...] | None = None


def latest_periods(db: Database, pairs: list[tuple[str, str]], area_code: str) -> dict[tuple[str, str], datetime]:
    """The newest period with a value for each (indicator_id, grain) of `pairs` in one area (absent: no value)."""
    if not pairs:
        return {}
    cond = " or ".join("(indicator_id = ? and grain = ?)" for _ in pairs)
    rows = db.rows(f"""select indicator_id, grain, max(period_start) from indicator_values
                       where area_code = ? and ({cond}) group by indicator_id, grain""",
                   [area_code, *(x for pair in pairs for x in pair)])
    return {(r[0], r[1]): r[2] for r in rows}


def values_matching(db: Database, selections: list[ValueSelection]) -> pl.DataFrame:
    """Every stored value matching any of `selections`, each row once, in key order."""
    if not selections:
        return db.query(f"select {', '.join(VALUE_COLS)} from indicator_values where false")
    parts, params = [], []
    for s in selections:
        cond = f"indicator_id = ? and grain = ? and area_code in ({', '.join('?' for _ in s.areas) or 'null'})"
        params += [s.indicator_id, s.grain, *s.areas]
        if s.periods is not None:
            cond += f" and period_start in ({', '.join('?' for _ in s.periods) or 'null'})"
            params += list(s.periods)
        else:
            cond += " and (? is null or period_start >= ?) and (? is null or period_start < ?)"
            params += [s.start, s.start, s.end, s.end]
        parts.append(f"({cond})")
    return db.query(
        f"""select {', '.join(VALUE_COLS)} from indicator_values where {' or '.join(parts)}
            order by indicator_id, grain, area_code, period_start""", params)
