"""Read-only queries a page or the alerts room needs: current value by area, trends, breakdowns,
comparisons (同比 / 环比 / target / rank among siblings), signals, and where an indicator is used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl

from cockpit.core import store as core_store
from cockpit.core.config import Config
from cockpit.core.db import Database
from indicators import composite, rules, store
from indicators.periods import same_period_last_year, shift


@dataclass(frozen=True)
class Current:
    """The newest value of an indicator for an area, with what a card shows beside it."""

    indicator_id: str
    area_code: str
    grain: str
    period_start: datetime | None
    value: float | None
    unit: str
    target: float | None
    computed_at: datetime | None
    definition_version: int | None


def current(db: Database, config: Config, indicator_id: str, area_code: str, grain: str | None = None) -> Current:
    """The newest value (value None when there is no data: never shown as 0)."""
    ind = config.indicators[indicator_id]
    grain = grain or ind.signal_grain
    latest = store.latest_period(db, indicator_id, grain, area_code)
    row = store.values(db, indicator_id, grain, [area_code], latest).row(0, named=True) if latest else None
    return Current(indicator_id, area_code, grain, latest, row["value"] if row else None, ind.unit, ind.target,
                   row["computed_at"] if row else None, row["definition_version"] if row else None)


def trend(db: Database, indicator_id: str, area_code: str, grain: str, start: datetime | None = None,
          end: datetime | None = None) -> pl.DataFrame:
    """(period_start, value, numerator, denominator, sample_size) of one area over time."""
    return store.values(db, indicator_id, grain, [area_code], start, end).select(
        "period_start", "value", "numerator", "denominator", "sample_size")


def breakdown(db: Database, indicator_id: str, area_code: str, grain: str, period: datetime) -> pl.DataFrame:
    """The values of the sub-areas of `area_code` for one period, with their names, best first."""
    subs = core_store.children(db, area_code)
    if not subs:
        return pl.DataFrame(schema={"area_code": pl.String, "name": pl.String, "value": pl.Float64})
    period = period.astimezone(UTC)
    vals = store.values(db, indicator_id, grain, [a.code for a in subs], period)
    return _named(subs, vals.filter(pl.col("period_start") == period))


def _named(subs: list[core_store.Area], vals: pl.DataFrame) -> pl.DataFrame:
    """The sub-areas with their values of one period (`vals`), best first."""
    names = pl.DataFrame({"area_code": [a.code for a in subs], "name": [a.name for a in subs]})
    vals = vals.select("area_code", "value", "numerator", "denominator")
    return names.join(vals, on="area_code", how="left").sort("value", descending=True, nulls_last=True)


@dataclass(frozen=True)
class Comparison:
    """A value against the previous period (环比), the same period last year (同比) and the target."""

    value: float | None
    previous: float | None
    last_year: float | None
    target: float | None
    mom_pct: float | None
    yoy_pct: float | None
    vs_target: float | None
    rank: int | None
    of: int | None


def compare(db: Database, config: Config, indicator_id: str, area_code: str, grain: str,
            period: datetime) -> Comparison:
    """同比 / 环比 / target / rank among siblings (rank 1 = best in the indicator's direction)."""
    ind, tz = config.indicators[indicator_id], config.city.timezone
    value = _at(db, indicator_id, grain, area_code, period)
    previous = _at(db, indicator_id, grain, area_code, shift(period, grain, -1, tz))
    last_year = _at(db, indicator_id, grain, area_code, same_period_last_year(period, grain, tz))
    rank, of = _rank(db, config, indicator_id, area_code, grain, period)
    return Comparison(value, previous, last_year, ind.target, _pct(value, previous), _pct(value, last_year),
                      None if value is None or ind.target is None else value - ind.target, rank, of)


def signals_for(db: Database, config: Config, indicator_id: str, area_code: str, now: datetime,
                history_periods: int = 24 * 7 * 9) -> list[rules.Signal]:
    """The indicator's level signals for one area at `now` (for the alerts room)."""
    ind = config.indicators[indicator_id]
    grain = ind.signal_grain
    start = shift(now, grain, -history_periods, config.city.timezone) if grain == "hour" else None
    series = trend(db, indicator_id, area_code, grain, start)
    points = list(zip(series["period_start"].to_list(), series["value"].to_list(), strict=True))
    return rules.signals(indicator_id, ind, area_code, points, now, config.city.timezone)


def usages(config: Config, indicator_id: str) -> list[str]:
    """Where an indicator is used: topic pages, derived and composite indicators (rules live on it)."""
    out = [f"layouts.topics.{tid}" for tid, t in config.layouts.topics.items() if indicator_id in t.indicators]
    for iid, ind in config.indicators.items():
        m = ind.measure
        if (m.type == "derived" and indicator_id in m.inputs) or (m.type == "composite" and indicator_id in m.components):
            out.append(f"indicators.{iid}")
    if config.indicators[indicator_id].levels:
        out.append(f"indicators.{indicator_id}.levels")
    return out


def domain_scores(db: Database, config: Config, composite_id: str, area_code: str, grain: str,
                  period: datetime) -> dict[str, float]:
    """The composite index broken down by domain: the 0–100 score of each domain's components."""
    ind = config.indicators[composite_id]
    by_domain: dict[str, list[tuple[float, float]]] = {}
    for iid, weight in ind.measure.components.items():
        v = _at(db, iid, grain, area_code, period)
        if v is not None:
            comp = config.indicators[iid]
            by_domain.setdefault(comp.domain, []).append((weight, composite.score(v, comp)))
    return {d: round(sum(w * s for w, s in xs) / sum(w for w, _ in xs), 2) for d, xs in by_domain.items()}


def _at(db: Database, indicator_id: str, grain: str, area_code: str, period: datetime) -> float | None:
    period = period.astimezone(UTC)
    frame = store.values(db, indicator_id, grain, [area_code], period)
    frame = frame.filter(pl.col("period_start") == period)
    return frame["value"][0] if frame.height else None


def _rank(db, config, indicator_id, area_code, grain, period) -> tuple[int | None, int | None]:
    area = core_store.area(db, area_code)
    if area is None or area.parent_code is None:
        return None, None
    return _rank_in(breakdown(db, indicator_id, area.parent_code, grain, period), config, indicator_id, area_code)


def _rank_in(breakdown_frame: pl.DataFrame, config: Config, indicator_id: str,
             area_code: str) -> tuple[int | None, int | None]:
    siblings = breakdown_frame.drop_nulls("value")
    if config.indicators[indicator_id].direction == "lower_better":
        siblings = siblings.sort("value")
    codes = siblings["area_code"].to_list()
    return (codes.index(area_code) + 1 if area_code in codes else None), len(codes)


def _pct(value: float | None, base: float | None) -> float | None:
    if value is None or base is None or base == 0:
        return None
    return (value - base) / abs(base) * 100


# --- batched forms of current / compare / trend: one statement for all the tiles of a page ----------------------

def currents(db: Database, config: Config, pairs: list[tuple[str, str]], area_code: str) -> list[Current]:
    """`current` of many (indicator_id, grain) pairs of one area, in two statements, in the order given."""
    latest = store.latest_periods(db, pairs, area_code)
    frame = store.values_matching(db, [store.ValueSelection(iid, grain, (area_code,), periods=(latest[(iid, grain)],))
                                       for iid, grain in dict.fromkeys(pairs) if latest.get((iid, grain))])
    rows = {(r["indicator_id"], r["grain"]): r for r in frame.iter_rows(named=True)}
    out = []
    for iid, grain in pairs:
        ind, row = config.indicators[iid], rows.get((iid, grain))
        out.append(Current(iid, area_code, grain, latest.get((iid, grain)), row["value"] if row else None, ind.unit,
                           ind.target, row["computed_at"] if row else None, row["definition_version"] if row else None))
    return out


def compares(db: Database, config: Config, requests: list[tuple[str, str, datetime]],
             area_code: str) -> list[Comparison]:
    """`compare` of many (indicator_id, grain, period) of one area, in one statement, in the order given."""
    tz = config.city.timezone
    area = core_store.area(db, area_code)
    siblings = core_store.children(db, area.parent_code) if area is not None and area.parent_code else []
    codes = tuple(a.code for a in siblings) or (area_code,)
    wanted, selections = [], []
    for iid, grain, period in requests:
        points = (period, shift(period, grain, -1, tz), same_period_last_year(period, grain, tz))
        points = tuple(p.astimezone(UTC) for p in points)
        wanted.append(points)
        selections.append(store.ValueSelection(iid, grain, (area_code,), periods=points))
        if siblings:
            selections.append(store.ValueSelection(iid, grain, codes, periods=points[:1]))
    frame = store.values_matching(db, selections)
    at = {(r["indicator_id"], r["grain"], r["area_code"], r["period_start"]): r["value"]
          for r in frame.iter_rows(named=True)}
    out = []
    for (iid, grain, _), (period, prev, last) in zip(requests, wanted, strict=True):
        ind = config.indicators[iid]
        value, previous, last_year = (at.get((iid, grain, area_code, p)) for p in (period, prev, last))
        rank, of = None, None
        if siblings:
            vals = frame.filter((pl.col("indicator_id") == iid) & (pl.col("grain") == grain)
                                & pl.col("area_code").is_in(list(codes)) & (pl.col("period_start") == period))
            rank, of = _rank_in(_named(siblings, vals), config, iid, area_code)
        out.append(Comparison(value, previous, last_year, ind.target, _pct(value, previous), _pct(value, last_year),
                              None if value is None or ind.target is None else value - ind.target, rank, of))
    return out


def trends(db: Database, requests: list[tuple[str, str, datetime | None, datetime | None]],
           area_code: str) -> list[pl.DataFrame]:
    """`trend` of many (indicator_id, grain, start, end) of one area, in one statement, in the order given."""
    frame = store.values_matching(db, [store.ValueSelection(iid, grain, (area_code,), start, end)
                                       for iid, grain, start, end in requests])
    out = []
    for iid, grain, start, end in requests:
        cond = (pl.col("indicator_id") == iid) & (pl.col("grain") == grain)
        if start is not None:
            cond &= pl.col("period_start") >= start.astimezone(UTC)
        if end is not None:
            cond &= pl.col("period_start") < end.astimezone(UTC)
        out.append(frame.filter(cond).select("period_start", "value", "numerator", "denominator", "sample_size"))
    return out
