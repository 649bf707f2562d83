"""From the indicator engine's signals (and stale sources) to one observation per rule × area.

The level conditions are read *without* the indicator rules' own `for` (hysteresis stays): the
lifecycle applies `for` in time with timers stored in the database, so a restart in the middle of a
`for` window fires at the original time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import polars as pl

from alerts import reasons
from alerts.model import Cause, Observation, Timing
from cockpit.core.config import Config
from cockpit.core.config.indicators import IndicatorConfig, LevelRule, parse_duration
from cockpit.core.db import Database
from indicators import rules
from indicators import store as indicator_store

SOURCE_DOMAIN = "数据治理"


@dataclass(frozen=True)
class StaleFeed:
    """A source past its freshness limit (the connectors' 数据断流 contract), handed in by the composition root."""

    source_id: str
    name: str
    level: str          # warn | error
    reason: str         # Chinese text from the connectors room


@dataclass(frozen=True)
class Observed:
    """One rule × area this evaluation: what the warning is about, what was seen, and its timing."""

    rule_id: str
    area_code: str
    kind: str
    indicator_id: str | None
    source_id: str | None
    domain: str | None
    observation: Observation
    timing: Timing


def without_for(ind: IndicatorConfig) -> IndicatorConfig:
    """The indicator with every level's `for` removed: the raw condition (hysteresis kept)."""
    levels = {lv: r.model_copy(update={"for_": None}) for lv, r in ind.levels.items()}
    return ind.model_copy(update={"levels": levels})


def timing_of(config: Config, indicator_id: str, ind: IndicatorConfig) -> Timing:
    """`for` per level from the indicator's rules; `clear_for` from the alerts section."""
    clear = config.alerts.clear_for_by_indicator.get(indicator_id, config.alerts.clear_for)
    return Timing({lv: parse_duration(r.for_) if r.for_ else timedelta(0) for lv, r in ind.levels.items()},
                  parse_duration(clear))


def cause_of(rule: LevelRule, signal: rules.Signal) -> Cause:
    """Why a level holds, as a msgid: held above/below the bound, rate of change, or baseline deviation."""
    static = (rule.above is not None or rule.below is not None) and signal.threshold in (rule.above, rule.below)
    if static:
        below = rule.below is not None and signal.threshold == rule.below and (
            rule.above is None or signal.value is None or signal.value < rule.above)
        if rule.for_:
            return Cause(reasons.HELD_BELOW if below else reasons.HELD_ABOVE,
                         {"duration": reasons.duration_text(parse_duration(rule.for_))}, signal.threshold)
        return Cause(reasons.BELOW if below else reasons.ABOVE, {}, signal.threshold)
    if rule.change is not None and signal.threshold in (rule.change.pct, rule.change.abs):
        return Cause(reasons.CHANGE, {}, signal.threshold)
    return Cause(reasons.BASELINE, {}, signal.threshold)


def history_start(ind: IndicatorConfig, now: datetime) -> datetime:
    """How far back the rules need values: a week, or the longest baseline history."""
    longest = timedelta(days=7)
    for r in ind.levels.values():
        if r.baseline is not None:
            longest = max(longest, parse_duration(r.baseline.history) + timedelta(days=1))
        if r.change is not None:
            longest = max(longest, parse_duration(r.change.window) + timedelta(days=1))
    return now - longest


def indicator_series(db: Database, indicator_id: str, ind: IndicatorConfig, now: datetime,
                     start: datetime | None = None) -> dict[str, list[tuple[datetime, float]]]:
    """(period_start, value) per area at the rule grain, from `start` (default: what the rules need)."""
    frame = indicator_store.values(db, indicator_id, ind.signal_grain, None, start or history_start(ind, now))
    frame = frame.filter(pl.col("value").is_not_null()).select("area_code", "period_start", "value")
    out: dict[str, list[tuple[datetime, float]]] = {}
    for area, t, v in frame.iter_rows():
        out.setdefault(area, []).append((t, v))
    return out


def observe_indicator(config: Config, indicator_id: str, ind: IndicatorConfig, area_code: str,
                      points: list[tuple[datetime, float]], now: datetime,
                      raw: IndicatorConfig | None = None) -> list[Observed]:
    """The level warning's and the 数据断流 warning's observations of one indicator in one area (`raw`: the
    indicator `without_for`, when the caller has it already)."""
    raw = raw or without_for(ind)
    sigs = rules.signals(indicator_id, raw, area_code, points, now, config.city.timezone)
    stale = next((s for s in sigs if s.kind == "no_data"), None)
    value = points[-1][1] if points else None
    causes = {s.level: cause_of(ind.levels[s.level], s) for s in sigs if s.kind == "breach" and s.level}
    detail = next((s.reason for s in sigs if s.kind == "breach" and s.level == max(
        causes, key=lambda lv: ("blue", "yellow", "orange", "red").index(lv))), None) if causes else None
    level_obs = Observation(causes, value, detail if stale is None else stale.reason, no_data=stale is not None)
    nd_causes = {config.alerts.no_data_level: Cause(reasons.NO_DATA, {})} if stale is not None else {}
    nd_obs = Observation(nd_causes, value, stale.reason if stale else None)
    zero = Timing({}, parse_duration(config.alerts.clear_for_by_indicator.get(indicator_id, "0m")))
    return [Observed(indicator_id, area_code, "level", indicator_id, None, ind.domain, level_obs,
                     timing_of(config, indicator_id, ind)),
            Observed(f"{indicator_id}#no_data", area_code, "no_data", indicator_id, None, ind.domain, nd_obs, zero)]


def observe_sources(config: Config, feeds: Iterable[StaleFeed], known: Iterable[str]) -> list[Observed]:
    """Stale sources become 数据断流 warnings on the city; sources listed in `known` (open) and fresh now clear."""
    city = config.city.code
    seen = {}
    for f in feeds:
        level = config.alerts.source_levels[f.level]
        seen[f.source_id] = Observed(f"source:{f.source_id}", city, "source", None, f.source_id, SOURCE_DOMAIN,
                                     Observation({level: Cause(reasons.NO_DATA, {"source": f.name})}, None,
                                                 f.reason), Timing({}, timedelta(0)))
    for sid in known:
        if sid not in seen:
            seen[sid] = Observed(f"source:{sid}", city, "source", None, sid, SOURCE_DOMAIN, Observation({}),
                                 Timing({}, timedelta(0)))
    return list(seen.values())
