"""What the cockpit pages read, gathered from the engines' named queries into plain values for components.

No SQL here and no threshold logic beyond reading the configured level bounds: values, comparisons and
rankings come from `indicators.queries`, task figures from `cockpit.tasks.queries`, warnings from
`alerts.queries` when that room provides them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from cockpit.core import store as core_store
from cockpit.core.config import Config
from cockpit.core.config.indicators import DOMAINS, LEVELS, IndicatorConfig, parse_duration
from cockpit.core.db import Database
from cockpit.core.store import User
from cockpit.tasks import queries as task_queries
from indicators import queries
from indicators.periods import period_end, period_start, shift
from indicators.rules import published_at

SPARK_PERIODS = {"hour": 48, "day": 30, "week": 26, "month": 24, "year": 10}


@dataclass(frozen=True)
class Reading:
    """One indicator for one area at its newest period, with what a tile shows beside the value."""

    indicator_id: str
    name: str
    domain: str
    unit: str
    direction: str
    grain: str
    area_code: str
    period_start: datetime | None
    value: float | None
    target: float | None
    level: str | None
    stale: bool
    age: timedelta | None
    mom_pct: float | None = None
    yoy_pct: float | None = None
    spark: tuple[list[datetime], list[float | None]] = field(default_factory=lambda: ([], []))

    @property
    def missing(self) -> bool:
        """No value at all (shown as 暂无数据, never 0)."""
        return self.value is None


def display_grain(ind: IndicatorConfig) -> str:
    """The grain a tile shows: daily when the indicator has it, else its finest grain."""
    return "day" if "day" in ind.grains else ind.grains[0]


def level_of(ind: IndicatorConfig, value: float | None) -> str | None:
    """The most severe configured level whose static bound the value breaches (None: normal or no bounds)."""
    if value is None:
        return None
    for level in reversed(LEVELS):
        rule = ind.levels.get(level)
        if rule is None:
            continue
        if (rule.above is not None and value > rule.above) or (rule.below is not None and value < rule.below):
            return level
    return None


def level_bands(ind: IndicatorConfig, low: float, high: float) -> list[tuple[str, float, float]]:
    """(level, from, to) regions of the warning levels between `low` and `high`, for shading a chart."""
    bands = []
    for level in LEVELS:
        rule = ind.levels.get(level)
        if rule is None:
            continue
        if rule.above is not None and rule.above < high:
            bands.append((level, rule.above, high))
        if rule.below is not None and rule.below > low:
            bands.append((level, low, rule.below))
    return bands


def is_stale(ind: IndicatorConfig, grain: str, start: datetime | None, now: datetime, tz: str) -> tuple[bool, timedelta | None]:
    """(stale, age): the newest period is older than its publication time plus the allowed delay."""
    if start is None:
        return False, None
    end = period_end(start, grain, tz)
    due = published_at(end, ind, tz)
    allowed = parse_duration(ind.no_data.after) if ind.no_data else max(2 * parse_duration(ind.update_frequency),
                                                                          timedelta(hours=1))
    age = max(timedelta(0), now - min(end, now))
    return now > due + allowed, age


def reading(db: Database, config: Config, indicator_id: str, area_code: str, now: datetime,
            grain: str | None = None, spark: bool = True, compare: bool = True) -> Reading:
    """The newest value of an indicator for an area with its level, staleness, 同比/环比 and a sparkline."""
    ind, tz = config.indicators[indicator_id], config.city.timezone
    grain = grain or display_grain(ind)
    cur = queries.current(db, config, indicator_id, area_code, grain)
    start = cur.period_start
    if start is not None and start > now:  # a period beyond `now` (clock skew, test data): not shown as current
        start = None
    stale, age = is_stale(ind, grain, start, now, tz)
    base = Reading(indicator_id, ind.name, ind.domain, ind.unit, ind.direction, grain, area_code, start,
                   cur.value if start is not None else None, ind.target,
                   level_of(ind, cur.value) if start is not None else None, stale, age)
    if start is None or not (spark or compare):
        return base
    cmp = queries.compare(db, config, indicator_id, area_code, grain, start) if compare else None
    series = ([], [])
    if spark:
        frame = queries.trend(db, indicator_id, area_code, grain, shift(start, grain, -SPARK_PERIODS[grain], tz),
                              shift(start, grain, 1, tz))
        series = (frame["period_start"].to_list(), frame["value"].to_list())
    return replace(base, mom_pct=cmp.mom_pct if cmp else None, yoy_pct=cmp.yoy_pct if cmp else None, spark=series)


def readings(db: Database, config: Config, indicator_ids: list[str], area_code: str, now: datetime,
             spark_periods: dict[str, int] | None = None) -> list[Reading]:
    """`reading` of many indicators of one area (a page's tiles) in a handful of statements, in the order given;
    `spark_periods` overrides the sparkline length of some indicators."""
    tz, inds = config.city.timezone, [config.indicators[i] for i in indicator_ids]
    grains = [display_grain(ind) for ind in inds]
    curs = queries.currents(db, config, list(zip(indicator_ids, grains, strict=True)), area_code)
    bases = []
    for iid, ind, grain, cur in zip(indicator_ids, inds, grains, curs, strict=True):
        start = cur.period_start if cur.period_start is not None and cur.period_start <= now else None
        stale, age = is_stale(ind, grain, start, now, tz)
        bases.append(Reading(iid, ind.name, ind.domain, ind.unit, ind.direction, grain, area_code, start,
                             cur.value if start is not None else None, ind.target,
                             level_of(ind, cur.value) if start is not None else None, stale, age))
    shown = [b for b in bases if b.period_start is not None]
    cmps = queries.compares(db, config, [(b.indicator_id, b.grain, b.period_start) for b in shown], area_code)
    periods = spark_periods or {}
    frames = queries.trends(db, [(b.indicator_id, b.grain,
                                  shift(b.period_start, b.grain, -periods.get(b.indicator_id, SPARK_PERIODS[b.grain]), tz),
                                  shift(b.period_start, b.grain, 1, tz)) for b in shown], area_code)
    done = {id(b): replace(b, mom_pct=c.mom_pct, yoy_pct=c.yoy_pct,
                           spark=(f["period_start"].to_list(), f["value"].to_list()))
            for b, c, f in zip(shown, cmps, frames, strict=True)}
    return [done.get(id(b), b) for b in bases]


def domains(config: Config) -> list[str]:
    """The domains that have indicators, in catalog order, the index's own domain left out."""
    index = config.indicators.get(config.layouts.index_indicator)
    present = {i.domain for iid, i in config.indicators.items() if iid != config.layouts.index_indicator}
    return [d for d in DOMAINS if d in present and not (index and d == index.domain and _only_index(config, d))]


def _only_index(config: Config, domain: str) -> bool:
    return all(iid == config.layouts.index_indicator for iid, i in config.indicators.items() if i.domain == domain)


def domain_indicators(config: Config, domain: str) -> list[str]:
    """Every indicator of a domain, in catalog order."""
    return [iid for iid, i in config.indicators.items() if i.domain == domain]


def domain_key(config: Config, domain: str) -> str | None:
    """The indicator a domain's tile shows: configured, else the first with a target, else the first."""
    if domain in config.layouts.domain_keys:
        return config.layouts.domain_keys[domain]
    ids = [i for i in domain_indicators(config, domain) if i != config.layouts.index_indicator]
    with_target = [i for i in ids if config.indicators[i].target is not None]
    return (with_target or ids or [None])[0]


def ordered_domains(config: Config, preferred: list[str] | None) -> list[str]:
    """The domains in the user's chosen order; domains not mentioned keep catalog order after them."""
    all_domains = domains(config)
    chosen = [d for d in preferred or [] if d in all_domains]
    return chosen + [d for d in all_domains if d not in chosen]


@dataclass(frozen=True)
class RankRow:
    """One sub-area in the 晾晒台 ranking."""

    rank: int | None
    area_code: str
    name: str
    value: float | None
    level: str | None


def ranking(db: Database, config: Config, area_code: str, now: datetime) -> tuple[list[RankRow], datetime | None]:
    """The sub-areas of `area_code` by the index at its newest day, best first; missing values last."""
    iid = config.layouts.index_indicator
    if iid not in config.indicators or not core_store.children(db, area_code):
        return [], None
    ind = config.indicators[iid]
    grain = display_grain(ind)
    latest = queries.current(db, config, iid, area_code, grain).period_start
    if latest is None:
        return [RankRow(None, a.code, a.name, None, None) for a in core_store.children(db, area_code)], None
    frame = queries.breakdown(db, iid, area_code, grain, latest)
    rows, rank = [], 0
    for r in frame.iter_rows(named=True):
        rank += r["value"] is not None
        rows.append(RankRow(rank if r["value"] is not None else None, r["area_code"], r["name"], r["value"],
                            level_of(ind, r["value"])))
    return rows, latest


@dataclass(frozen=True)
class TaskFigures:
    """Task figures of an area: dispatched today, on-time rate and cards this month."""

    dispatched_today: int
    closed_month: int
    on_time_rate: float | None
    overdue: int
    yellow_cards: int
    red_cards: int


def task_figures(db: Database, user: User, area_code: str, now: datetime, tz: str) -> TaskFigures:
    """Task figures in the user's scope narrowed to `area_code` (today and this month are re-evaluated at `now`)."""
    viewer = replace(user, area_code=area_code)
    today = period_start(now, "day", tz)
    month = period_start(now, "month", tz)
    day_rows = task_queries.statistics(db, viewer, today, now + timedelta(seconds=1), now, by="unit")
    month_rows = task_queries.statistics(db, viewer, month, now + timedelta(seconds=1), now, by="unit")
    closed = sum(r["closed"] for r in month_rows)
    on_time = sum(r["on_time"] for r in month_rows)
    return TaskFigures(sum(r["dispatched"] for r in day_rows), closed, on_time / closed if closed else None,
                       sum(r["overdue"] for r in month_rows), sum(r["yellow_cards"] for r in month_rows),
                       sum(r["red_cards"] for r in month_rows))


def warning_counts(db: Database, user: User, area_code: str) -> dict[str, int] | None:
    """Open warnings by level in `area_code` (already checked against `user`) from the alerts room's named query
    `alerts.queries.level_counts(db, scope)`; None while that room provides none."""
    try:
        alert_queries = importlib.import_module("alerts.queries")
    except ImportError:
        return None
    counts = getattr(alert_queries, "level_counts", None)
    if counts is None:
        return None
    try:
        result = counts(db, area_code)  # the caller has checked `area_code` against the user's scope
    except Exception as exc:  # noqa: BLE001 - the alerts room's tables not migrated in this deployment
        if "warnings" in str(exc):
            return None
        raise
    return {level: int(result.get(level, 0)) for level in LEVELS}


def lineage(db: Database, area_code: str) -> list[core_store.Area]:
    """The area and its ancestors, city first."""
    chain: list[core_store.Area] = []
    code: str | None = area_code
    while code:
        area = core_store.area(db, code)
        if area is None:
            break
        chain.insert(0, area)
        code = area.parent_code
    return chain


def local_now(now: datetime, tz: str) -> datetime:
    """`now` in the city's time zone."""
    return now.astimezone(ZoneInfo(tz))
