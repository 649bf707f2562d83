"""The indicator engine: evaluate measures per area level and grain, incrementally, into `indicator_values`.

Every area level is computed from the dataset rows themselves (street = the row's 9-digit code, district =
its 6-digit prefix, city = every row of the city), so roll-ups are exact by construction: a district's
rate is its numerator over its denominator, a district's median is the median of its rows. Ratios and
means keep their numerator and denominator.

Incremental runs: each dataset is fingerprinted by (local day, area code) — row count and a checksum of
every column. Days × areas whose fingerprint changed since the indicator's last evaluation (new, edited or
deleted rows) decide which periods (every grain containing a changed day) and which areas (changed streets,
their districts, the city) are recomputed. A change of the indicator's configuration recomputes it fully.
Before any of that, an indicator whose dataset's data version (`dataset:<name>`, bumped by every connector
write) is the one it saw at its last evaluation is skipped without reading a row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import polars as pl

from cockpit.core.config import Config
from cockpit.core.config.indicators import ROW_MEASURES, IndicatorConfig
from cockpit.core.db import Database
from indicators import aqi, calendar, derived, store
from indicators.digest import config_hash
from indicators.periods import period_end, period_start

log = logging.getLogger(__name__)


@dataclass
class Report:
    """What one evaluation did, per indicator: 'full', 'incremental', 'unchanged', 'skipped: …'."""

    modes: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


def evaluate(db: Database, config: Config, now: datetime, indicator_ids: list[str] | None = None,
             full: bool = False, since: datetime | None = None) -> Report:
    """Evaluate the catalog (or some indicators) at `now`.

    Args:
        full: recompute everything instead of only what changed.
        since: also recompute every period from this instant on, changed or not.
    """
    report = Report()
    wanted = set(indicator_ids) if indicator_ids else set(config.indicators)
    unknown = wanted - set(config.indicators)
    if unknown:
        raise KeyError(f"未知指标 / unknown indicator: {', '.join(sorted(unknown))}")
    if any(config.indicators[i].measure.type == "working_days" for i in wanted):
        store.ensure_workdays(db, calendar.calendar_rows)
    fp_cache: dict[tuple[str, str, str], pl.DataFrame] = {}
    touched: dict[str, dict[str, pl.DataFrame] | None] = {}  # per grain, the keys recomputed; None: all
    seen, states, untouched, versions = store.seen_versions(db), store.states(db), [], {}
    for iid in derived.order(config.indicators, wanted):
        ind = config.indicators[iid]
        if ind.measure.type in ROW_MEASURES:
            if ind.dataset not in versions:
                versions[ind.dataset] = store.dataset_version(db, ind.dataset)
            version = versions[ind.dataset]
            if _untouched(iid, ind, config, version, seen, states, full, since):
                untouched.append(iid)
                report.modes[iid], report.rows[iid] = "unchanged", 0
                continue
            mode, n, touched[iid] = _evaluate_rows(db, config, iid, ind, now, full, since, fp_cache, version)
        else:
            mode, n, touched[iid] = derived.evaluate(db, config, iid, ind, now,
                                                     None if full else _input_changes(derived.inputs(ind), touched))
        report.modes[iid], report.rows[iid] = mode, n
        log.info("indicator %s: %s, %d values", iid, mode, n)
    if untouched:
        with db.transaction() as cur:
            store.touch_states(cur, untouched, now)
    return report


def _input_changes(names: list[str], touched: dict) -> dict[str, pl.DataFrame] | None:
    """The union per grain of the keys the inputs recomputed in this run (None when one was recomputed fully)."""
    if any(n in touched and touched[n] is None for n in names):
        return None
    grains: dict[str, list[pl.DataFrame]] = {}
    for n in names:
        for grain, keys in (touched.get(n) or {}).items():
            grains.setdefault(grain, []).append(keys.select("area_code", "period_start"))
    return {g: pl.concat(ks).unique() for g, ks in grains.items()}


def _untouched(iid, ind, config, version, seen, states, full, since) -> bool:
    """Whether nothing the indicator reads changed since its last evaluation, known without reading rows: its
    definition is the same and its dataset's data version (bumped by every write of a connector) is the one it
    saw. Version 0 means the dataset's writers never bump it, so its rows are fingerprinted instead."""
    return (not full and since is None and version > 0 and seen.get(iid) == version
            and iid in states and states[iid][0] == config_hash(config, ind))


def _evaluate_rows(db, config, iid, ind, now, full, since, fp_cache, version):
    """(mode, values written, per grain the keys recomputed — None when all)."""
    ds = config.datasets[ind.dataset]
    if not store.table_exists(db, ind.dataset):
        return "skipped: dataset table missing", 0, {}
    tz, time_col, area_col = config.city.timezone, ind.time or ds.time, ind.area or ds.area
    key = (ind.dataset, time_col, area_col)
    if key not in fp_cache:
        fp_cache[key] = store.fingerprints(db, ind.dataset, list(ds.columns), time_col, area_col, tz)
    fp = fp_cache[key]
    digest = config_hash(config, ind)
    previous = store.state(db, iid)
    incremental = not full and previous is not None and previous[0] == digest
    days, areas, changed = (_changes(fp, store.stored_fingerprints(db, iid), since, tz) if incremental
                            else (None, None, None))
    if incremental and not days:
        with db.transaction() as cur:
            store.save_state(cur, iid, digest, now)
            store.save_seen_version(cur, iid, version)
        return "unchanged", 0, {}
    written, recomputed = 0, {}
    with db.transaction() as cur:
        for grain in ind.grains:
            frames, keys = [], []
            for level in ind.area_levels:
                level_areas = _level_areas(areas, level, config.city.code) if incremental else None
                if level_areas is not None and not level_areas:
                    continue
                periods, t_from, t_to = _periods(days, grain, tz) if incremental else (None, None, None)
                frame = _compute(db, config, ind, grain, level, t_from, t_to, level_areas, now)
                if incremental:
                    k = pl.DataFrame({"area_code": level_areas}).join(
                        pl.DataFrame({"period_start": periods}, schema={"period_start": pl.Datetime("us", "UTC")}),
                        how="cross")
                    frame = frame.join(k, on=["area_code", "period_start"], how="semi")
                    keys.append(k)
                frames.append(frame)
            out = (pl.concat(frames) if frames else _empty()).with_columns(pl.lit(iid).alias("indicator_id"))
            grain_keys = (pl.concat(keys) if keys else _empty().select("area_code", "period_start")) if incremental else None
            store.replace_values(cur, db, iid, grain, out, grain_keys)
            recomputed[grain] = grain_keys
            written += out.height
        store.save_fingerprints(cur, db, iid, fp, changed)  # incremental: only the changed days × areas
        store.save_state(cur, iid, digest, now)
        store.save_seen_version(cur, iid, version)
        store.bump(cur, db)
    return ("incremental", written, recomputed) if incremental else ("full", written, None)


def _changes(new: pl.DataFrame, old: pl.DataFrame, since: datetime | None, tz: str):
    """Changed local days and raw area codes between two fingerprint sets, and the changed (day, area_code)."""
    joined = new.join(old, on=["day", "area_code"], how="full", suffix="_old", coalesce=True)
    diff = joined.filter(
        pl.col("row_count").is_null() | pl.col("row_count_old").is_null()
        | (pl.col("row_count") != pl.col("row_count_old")) | (pl.col("checksum") != pl.col("checksum_old")))
    changed = diff.select("day", "area_code")
    if since is not None:
        since_day = since.astimezone(ZoneInfo(tz)).date()
        diff = pl.concat([diff.select("day", "area_code"),
                          new.filter(pl.col("day") >= since_day).select("day", "area_code")])
    return sorted(set(diff["day"].to_list())), set(diff["area_code"].to_list()), changed


def _level_areas(raw: set[str], level: str, city: str) -> list[str]:
    if level == "city":
        return [city]
    n = 9 if level == "street" else 6
    return sorted({code[:n] for code in raw if len(code) >= n})


def _periods(days: list[date], grain: str, tz: str) -> tuple[list[datetime], datetime, datetime]:
    zone, starts = ZoneInfo(tz), set()
    for d in days:
        midnight = datetime(d.year, d.month, d.day, tzinfo=zone)
        if grain == "hour":
            starts.update(midnight + timedelta(hours=h) for h in range(24))
        else:
            starts.add(period_start(midnight, grain, tz))
    ordered = sorted(starts)
    utc = [s.astimezone(ZoneInfo("UTC")) for s in ordered]
    return utc, utc[0], period_end(ordered[-1], grain, tz).astimezone(ZoneInfo("UTC"))


def _compute(db, config, ind, grain, level, t_from, t_to, areas, now) -> pl.DataFrame:
    """Values of one indicator at one grain and level, each period with the definition in force."""
    ds = config.datasets[ind.dataset]
    frames = []
    for version, measure, p_from, p_to in _segments(ind, config.city.timezone):
        mq = store.MeasureQuery(ind.dataset, ind.time or ds.time, ind.area or ds.area, level, grain,
                                config.city.timezone, config.city.code, measure, t_from, t_to,
                                tuple(areas) if areas is not None else None, p_from, p_to)
        raw = store.run_measure(db, mq)
        frames.append(_finish(raw, measure, grain).with_columns(pl.lit(version, pl.Int32).alias("definition_version")))
    return pl.concat(frames).with_columns(pl.lit(grain).alias("grain"),
                                          pl.lit(now).cast(pl.Datetime("us", "UTC")).alias("computed_at"))


def _segments(ind: IndicatorConfig, tz: str):
    """(version, measure, period_from, period_to) for each definition version (UTC bounds; None = open)."""
    if not ind.versions:
        return [(1, ind.measure, None, None)]
    zone, out = ZoneInfo(tz), []
    for i, v in enumerate(ind.versions):
        start = None if i == 0 else datetime(v.effective.year, v.effective.month, v.effective.day, tzinfo=zone)
        nxt = ind.versions[i + 1].effective if i + 1 < len(ind.versions) else None
        end = datetime(nxt.year, nxt.month, nxt.day, tzinfo=zone) if nxt else None
        out.append((v.version, v.measure or ind.measure, start, end))
    return out


def _finish(raw: pl.DataFrame, m, grain: str) -> pl.DataFrame:
    """Apply the measure's value rule to raw aggregates and drop periods without a value (no data ≠ 0)."""
    num, den = pl.col("numerator").cast(pl.Float64), pl.col("denominator").cast(pl.Float64)
    if m.type in ("count", "distinct_count", "sum"):
        value = num
    elif m.type == "ratio":
        value = pl.when(den > 0).then(num / den * m.scale)
    elif m.type == "mean" or (m.type == "working_days" and m.stat == "mean"):
        value = pl.when(den > 0).then(num / den)
    elif m.type == "aqi":
        names = list(m.pollutants)
        aqi_values = [aqi.aqi_of_means({n: row[f"c_{n}"] for n in names}, hourly=grain == "hour")
                      for row in raw.select([f"c_{n}" for n in names]).iter_rows(named=True)]
        value = pl.Series("value", aqi_values, dtype=pl.Float64)
    else:
        value = pl.col("value").cast(pl.Float64)
    out = raw.with_columns(value.alias("value") if isinstance(value, pl.Expr) else pl.lit(value).alias("value"))
    return out.select(
        pl.col("area_code").cast(pl.String), pl.col("period_start").cast(pl.Datetime("us", "UTC")),
        pl.col("value").cast(pl.Float64), num.alias("numerator"), den.alias("denominator"),
        pl.col("sample_size").cast(pl.Int64)).filter(pl.col("value").is_not_null() & pl.col("value").is_finite())


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema={"area_code": pl.String, "period_start": pl.Datetime("us", "UTC"),
                                "value": pl.Float64, "numerator": pl.Float64, "denominator": pl.Float64,
                                "sample_size": pl.Int64, "definition_version": pl.Int32, "grain": pl.String,
                                "computed_at": pl.Datetime("us", "UTC")})
