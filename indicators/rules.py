"""Level rules → signals. Pure functions of a value series and `now`: no I/O, no clock.

One signal per level (蓝 blue / 黄 yellow / 橙 orange / 红 red) with constant labels, for the alerts room:
- static bounds (`above` / `below`) must hold for `for` (that many consecutive periods of the rule
  grain) before a breach; once breaching, the level clears only when the value is back beyond the bound
  by `hysteresis` — both replayed over the series, so the result does not depend on hidden state;
- `change`: the value moved by more than `pct` % (or `abs`) against the period `window` earlier;
- `baseline`: deviation from the mean of the same hour-of-week / hour-of-day / weekday in the
  `history` window; with fewer than `min_history` matching past values the level does not fire;
- staleness: when the newest value is older than the publication lag plus `no_data.after`, every level
  reports `no_data` (never a silent 0 or ok). Before the publication time a missing period is *late*,
  not missing, and raises nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from cockpit.core.config.indicators import LEVELS, IndicatorConfig, LevelRule, parse_duration
from indicators import calendar
from indicators.periods import period_end

LEVEL_NAMES = {"blue": "蓝色", "yellow": "黄色", "orange": "橙色", "red": "红色"}
GRAIN_LENGTH = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(weeks=1),
                "month": timedelta(days=30), "year": timedelta(days=365)}


@dataclass(frozen=True)
class Signal:
    """The result of one level's rule for one indicator and area at `at`."""

    kind: str            # breach | ok | no_data
    level: str | None
    indicator_id: str
    area_code: str
    value: float | None
    threshold: float | None
    reason: str
    at: datetime


Point = tuple[datetime, float]


def signals(indicator_id: str, ind: IndicatorConfig, area_code: str, series: Sequence[Point], now: datetime,
            tz: str) -> list[Signal]:
    """Every level's signal for one area, from its value series (period_start, value) at the rule grain."""
    grain = ind.signal_grain
    points = sorted((t, v) for t, v in series if t <= now)
    stale = _staleness(ind, points, now, tz, grain)
    levels = [lv for lv in LEVELS if lv in ind.levels] or ([None] if stale else [])
    out = []
    for level in levels:
        if stale:
            value = points[-1][1] if points else None
            out.append(Signal("no_data", level, indicator_id, area_code, value, None, stale, now))
            continue
        kind, threshold, reason = _level(ind.levels[level], ind.hysteresis, points, grain, tz)
        label = f"{ind.name}{LEVEL_NAMES[level]}预警"
        out.append(Signal(kind, level, indicator_id, area_code, points[-1][1] if points else None, threshold,
                          f"{label}：{reason}", now))
    return out


def _staleness(ind: IndicatorConfig, points: list[Point], now: datetime, tz: str, grain: str) -> str | None:
    """The reason the data counts as missing at `now`, or None."""
    if ind.no_data is None:
        return None if points else ("无数据" if ind.levels else None)
    if not points:
        return "无数据：该区域尚无任何数值"
    due = published_at(period_end(points[-1][0], grain, tz), ind, tz)
    limit = due + parse_duration(ind.no_data.after)
    if now > limit:
        return f"数据断流：最新数据为 {points[-1][0].astimezone(ZoneInfo(tz)):%Y-%m-%d %H:%M}，超过 {ind.no_data.after} 未更新"
    return None


def published_at(period_end_at: datetime, ind: IndicatorConfig, tz: str) -> datetime:
    """When a period's figure is due from a slow feed: end + lag, at the publication time, on a working day."""
    pub = ind.publication
    t = (period_end_at + parse_duration(pub.lag)).astimezone(ZoneInfo(tz))
    if pub.at:
        hour, minute = (int(x) for x in pub.at.split(":"))
        t = t.replace(hour=hour, minute=minute, second=0, microsecond=0)
    while pub.working_days and not calendar.is_workday(t.date()):
        t += timedelta(days=1)
    return t


def _level(rule: LevelRule, default_hysteresis: float, points: list[Point], grain: str, tz: str):
    """(kind, threshold, reason) of one level at the newest point."""
    if not points:
        return "ok", None, "无数据"
    value = points[-1][1]
    if rule.above is not None or rule.below is not None:
        kind, threshold, reason = _static(rule, default_hysteresis, points, grain)
        if kind == "breach":
            return kind, threshold, reason
    if rule.change is not None:
        result = _change(rule, points, grain)
        if result[0] == "breach":
            return result
    if rule.baseline is not None:
        result = _baseline(rule, points, tz)
        if result[0] == "breach" or (rule.above is None and rule.below is None and rule.change is None):
            return result
    bound = rule.below if rule.below is not None else rule.above
    return "ok", bound, f"当前值 {value:g} 正常"


def _static(rule: LevelRule, default_hysteresis: float, points: list[Point], grain: str):
    hysteresis = rule.hysteresis if rule.hysteresis is not None else default_hysteresis
    need = max(1, int(parse_duration(rule.for_) / GRAIN_LENGTH[grain])) if rule.for_ else 1
    step = GRAIN_LENGTH[grain]

    def bad(v: float, margin: float = 0.0) -> bool:
        return ((rule.below is not None and v < rule.below + margin)
                or (rule.above is not None and v > rule.above - margin))

    firing, run, prev_t = False, 0, None
    for t, v in points:
        gap = prev_t is not None and grain in ("hour", "day", "week") and t - prev_t > step
        run = (1 if gap else run + 1) if bad(v) else 0
        prev_t = t
        # once firing, clear only when back beyond the bound by the hysteresis
        firing = bad(v, hysteresis) if firing else run >= need
    value = points[-1][1]
    threshold = rule.below if rule.below is not None and value < (rule.below + hysteresis) else rule.above
    if threshold is None:
        threshold = rule.below
    if firing:
        side = "低于" if rule.below is not None and value < rule.below + hysteresis else "高于"
        held = f"，已持续 {rule.for_}" if rule.for_ else ""
        return "breach", threshold, f"当前值 {value:g} {side}阈值 {threshold:g}{held}"
    if bad(value):
        return "ok", threshold, f"当前值 {value:g} 越过阈值 {threshold:g}，未满 {rule.for_}"
    return "ok", threshold, f"当前值 {value:g} 正常"


def _change(rule: LevelRule, points: list[Point], grain: str):
    ch = rule.change
    t, value = points[-1]
    earlier = dict(points).get(t - parse_duration(ch.window))
    if earlier is None:
        return "ok", None, f"无 {ch.window} 前的数值，不判定变化率"
    delta = value - earlier
    if ch.direction == "up" and delta <= 0 or ch.direction == "down" and delta >= 0:
        return "ok", None, "变化方向不触发"
    if ch.abs is not None and abs(delta) > ch.abs:
        return "breach", ch.abs, f"{ch.window} 内变化 {delta:+g}，超过 {ch.abs:g}"
    if ch.pct is not None and earlier != 0 and abs(delta) / abs(earlier) * 100 > ch.pct:
        return "breach", ch.pct, f"{ch.window} 内变化 {delta / abs(earlier) * 100:+.1f}%，超过 {ch.pct:g}%"
    return "ok", ch.pct if ch.pct is not None else ch.abs, f"{ch.window} 内变化 {delta:+g}，正常"


def _baseline(rule: LevelRule, points: list[Point], tz: str):
    b = rule.baseline
    zone = ZoneInfo(tz)
    t, value = points[-1]
    local = t.astimezone(zone)
    start = t - parse_duration(b.history)

    def same(other: datetime) -> bool:
        o = other.astimezone(zone)
        if b.match == "hour_of_week":
            return (o.weekday(), o.hour) == (local.weekday(), local.hour)
        if b.match == "hour_of_day":
            return o.hour == local.hour
        return o.weekday() == local.weekday()

    history = [v for p, v in points[:-1] if start <= p < t and same(p)]
    if len(history) < b.min_history:
        return "ok", None, f"基线历史不足（{len(history)}/{b.min_history}），不判定"
    base = sum(history) / len(history)
    if base == 0:
        return "ok", base, "基线为 0，不判定偏离"
    dev = (value - base) / abs(base) * 100
    hit = dev > b.deviation_pct if b.direction == "up" else dev < -b.deviation_pct if b.direction == "down" \
        else abs(dev) > b.deviation_pct
    if hit:
        return "breach", base, f"当前值 {value:g} 偏离同期基线 {base:.4g} {dev:+.1f}%，超过 {b.deviation_pct:g}%"
    return "ok", base, f"当前值 {value:g}，同期基线 {base:.4g}，偏离 {dev:+.1f}%"
