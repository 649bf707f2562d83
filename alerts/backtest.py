"""Tuning with evidence: replay an indicator's stored history through the lifecycle with the current
levels and with proposed ones, and count the warnings each would have produced (how many, how long,
which areas). Nothing is written."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from alerts import lifecycle, observe
from alerts.levels import with_levels
from alerts.model import Instance
from cockpit.core.config import Config
from cockpit.core.config.indicators import IndicatorConfig, parse_duration
from indicators.rules import GRAIN_LENGTH


@dataclass
class Outcome:
    """What one set of levels would have produced over the replayed window."""

    warnings: int = 0
    firing_hours: float = 0.0
    by_level: dict[str, int] = field(default_factory=dict)
    by_area: dict[str, int] = field(default_factory=dict)

    @property
    def mean_hours(self) -> float | None:
        """Mean firing duration of a warning (None without warnings)."""
        return round(self.firing_hours / self.warnings, 2) if self.warnings else None

    def as_dict(self) -> dict:
        """JSON-ready figures."""
        return {"warnings": self.warnings, "firing_hours": round(self.firing_hours, 2),
                "mean_hours": self.mean_hours, "by_level": self.by_level, "by_area": self.by_area}


def history_needed(ind: IndicatorConfig) -> timedelta:
    """How much history each replayed step needs. The lifecycle applies `for` itself, so the raw condition needs
    only enough past values to carry the hysteresis state (12 h), or the change window / baseline history."""
    need = timedelta(hours=12)
    for r in ind.levels.values():
        if r.change is not None:
            need = max(need, parse_duration(r.change.window) + timedelta(hours=2))
        if r.baseline is not None:
            need = max(need, parse_duration(r.baseline.history) + timedelta(days=1))
    return need


def replay(config: Config, indicator_id: str, series: dict[str, list[tuple[datetime, float]]], start: datetime,
           end: datetime) -> Outcome:
    """Step every area's warning at each period of the rule grain from `start` to `end` (pure)."""
    ind = config.indicators[indicator_id]
    step = GRAIN_LENGTH.get(ind.signal_grain, timedelta(hours=1))
    window = history_needed(ind)
    timing = observe.timing_of(config, indicator_id, ind)
    raw = observe.without_for(ind)
    out = Outcome()
    for area, points in series.items():
        times = [t for t, _ in points]
        inst = Instance(indicator_id, area, indicator_id=indicator_id)
        fired_at = None
        t = start
        while t <= end:
            lo, hi = bisect_left(times, t - window), bisect_right(times, t)
            level_obs = observe.observe_indicator(config, indicator_id, ind, area, points[lo:hi], t, raw)[0]
            inst, events = lifecycle.step(inst, level_obs.observation, timing, t)
            for e in events:
                if e.kind == "firing":
                    out.warnings += 1
                    out.by_area[area] = out.by_area.get(area, 0) + 1
                    fired_at = e.at
                if e.kind in ("firing", "level_up"):
                    out.by_level[e.level] = out.by_level.get(e.level, 0) + 1
                if e.kind == "resolved" and fired_at is not None:
                    out.firing_hours += (e.at - fired_at).total_seconds() / 3600
                    fired_at = None
            t += step
        if fired_at is not None:
            out.firing_hours += (end - fired_at).total_seconds() / 3600
    return out


def compare(config: Config, indicator_id: str, series: dict[str, list[tuple[datetime, float]]], start: datetime,
            end: datetime, changes: dict[str, dict[str, object]] | None) -> dict[str, Outcome]:
    """The current levels' outcome and, with `changes`, the proposed levels' outcome."""
    result = {"current": replay(config, indicator_id, series, start, end)}
    if changes:
        result["proposed"] = replay(with_levels(config, indicator_id, changes), indicator_id, series, start, end)
    return result
