"""Air quality index per HJ 633-2012 (环境空气质量指数(AQI)技术规定(试行)). Pure functions.

IAQI_P = (IAQI_Hi - IAQI_Lo) / (BP_Hi - BP_Lo) × (C_P - BP_Lo) + IAQI_Lo, rounded up to an integer
("计算结果应全部进位取整数"); AQI = max IAQI_P; the primary pollutant(s) are those whose IAQI equals the
AQI when AQI > 50.

Hourly AQI as the national real-time release (CNEMC) publishes it — checked against every station-hour
of two real days in tests/indicators/test_aqi_published.py:
- SO2, NO2, CO and O3 use their 1-hour concentrations with the 1-hour breakpoints;
- PM2.5 and PM10 have no 1-hour breakpoints: the release rates their *1-hour* concentrations on the
  24-hour breakpoints. (Rating the 24-hour moving averages instead, as is often assumed, reproduces
  only 3 % of the published figures of 2019-01-14 and 23 % of 2019-07-15; the 1-hour rule reproduces
  all 69,168 station-hours.)
- SO2 above 800 µg/m³ (1 h) is rated with the 24-hour breakpoints (note 2 of Table 1).
Daily AQI uses 24-hour means with the 24-hour breakpoints and the O3 daily maximum 8-hour mean.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

IAQI = (0, 50, 100, 150, 200, 300, 400, 500)

# Concentration limits (µg/m³, CO mg/m³) at each IAQI step of Table 1.
BREAKPOINTS_24H: dict[str, tuple[float, ...]] = {
    "so2": (0, 50, 150, 475, 800, 1600, 2100, 2620),
    "no2": (0, 40, 80, 180, 280, 565, 750, 940),
    "pm10": (0, 50, 150, 250, 350, 420, 500, 600),
    "co": (0, 2, 4, 14, 24, 36, 48, 60),
    "o3_8h": (0, 100, 160, 215, 265, 800),
    "pm25": (0, 35, 75, 115, 150, 250, 350, 500),
}
BREAKPOINTS_1H: dict[str, tuple[float, ...]] = {
    "so2": (0, 150, 500, 650, 800),
    "no2": (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    "co": (0, 5, 10, 35, 60, 90, 120, 150),
    "o3": (0, 160, 200, 300, 400, 800, 1000, 1200),
}

CATEGORIES = ((50, "优", "一级"), (100, "良", "二级"), (150, "轻度污染", "三级"), (200, "中度污染", "四级"),
              (300, "重度污染", "五级"), (math.inf, "严重污染", "六级"))

NAMES = {"pm25": "PM2.5", "pm10": "PM10", "so2": "SO2", "no2": "NO2", "o3": "O3", "o3_8h": "O3_8h", "co": "CO"}


@dataclass(frozen=True)
class AqiResult:
    """An AQI with its category and primary pollutant(s) (empty when AQI ≤ 50)."""

    aqi: int
    category: str
    level: str
    primary: tuple[str, ...]
    iaqi: Mapping[str, int]


def iaqi(concentration: float, breakpoints: tuple[float, ...]) -> int:
    """The individual index of one concentration; above the last breakpoint it is capped at that step's IAQI."""
    if concentration is None or math.isnan(concentration) or concentration < 0:
        raise ValueError(f"invalid concentration {concentration!r}")
    top = len(breakpoints) - 1
    if concentration >= breakpoints[top]:
        return IAQI[top]
    for i in range(1, top + 1):
        if concentration <= breakpoints[i]:
            lo, hi = breakpoints[i - 1], breakpoints[i]
            raw = (IAQI[i] - IAQI[i - 1]) / (hi - lo) * (concentration - lo) + IAQI[i - 1]
            return math.ceil(round(raw, 6))  # round first so 50.0000000001 from float error stays 50
    raise AssertionError("unreachable")


def category(aqi: int) -> tuple[str, str]:
    """(类别, 级别) of an AQI: 优/良/轻度污染/中度污染/重度污染/严重污染."""
    for upper, name, level in CATEGORIES:
        if aqi <= upper:
            return name, level
    raise AssertionError("unreachable")


def combine(indices: Mapping[str, int]) -> AqiResult:
    """AQI = max of the individual indices; primary pollutants are those at the max when AQI > 50."""
    if not indices:
        raise ValueError("no pollutant concentrations")
    aqi = max(indices.values())
    name, level = category(aqi)
    primary = tuple(sorted(NAMES[p] for p, v in indices.items() if v == aqi)) if aqi > 50 else ()
    return AqiResult(aqi, name, level, primary, dict(indices))


def hourly_aqi(pm25: float | None = None, pm10: float | None = None, so2: float | None = None,
               no2: float | None = None, o3: float | None = None, co: float | None = None,
               so2_24h: float | None = None) -> AqiResult:
    """Real-time (hourly) AQI as nationally published, from 1-hour concentrations (particles on the 24 h scale).

    Missing (None/NaN) pollutants are left out.
    """
    out: dict[str, int] = {}
    if _ok(pm25):
        out["pm25"] = iaqi(pm25, BREAKPOINTS_24H["pm25"])
    if _ok(pm10):
        out["pm10"] = iaqi(pm10, BREAKPOINTS_24H["pm10"])
    if _ok(so2):
        if so2 > BREAKPOINTS_1H["so2"][-1]:  # note 2: SO2 above 800 µg/m³ (1 h) is rated on the 24 h scale
            out["so2"] = iaqi(so2_24h if _ok(so2_24h) else so2, BREAKPOINTS_24H["so2"])
        else:
            out["so2"] = iaqi(so2, BREAKPOINTS_1H["so2"])
    if _ok(no2):
        out["no2"] = iaqi(no2, BREAKPOINTS_1H["no2"])
    if _ok(o3):
        out["o3"] = iaqi(o3, BREAKPOINTS_1H["o3"])
    if _ok(co):
        out["co"] = iaqi(co, BREAKPOINTS_1H["co"])
    return combine(out)


def daily_aqi(pm25: float | None = None, pm10: float | None = None, so2: float | None = None,
              no2: float | None = None, o3_8h: float | None = None, co: float | None = None,
              o3_1h_max: float | None = None) -> AqiResult:
    """Daily AQI from 24-hour means (O3: daily maximum 8-hour mean; above 800 the 1-hour maximum is used)."""
    out: dict[str, int] = {}
    for name, value in (("pm25", pm25), ("pm10", pm10), ("so2", so2), ("no2", no2), ("co", co)):
        if _ok(value):
            out[name] = iaqi(value, BREAKPOINTS_24H[name])
    if _ok(o3_8h):
        if o3_8h > BREAKPOINTS_24H["o3_8h"][-1] and _ok(o3_1h_max):
            out["o3"] = iaqi(o3_1h_max, BREAKPOINTS_1H["o3"])
        else:
            out["o3_8h"] = iaqi(o3_8h, BREAKPOINTS_24H["o3_8h"])
    return combine(out)


def aqi_of_means(means: Mapping[str, float | None], hourly: bool) -> int | None:
    """AQI of an area and period from mean concentrations (the engine's measure); None when nothing is known.

    `hourly` rates gases on the 1-hour scale; particles always on the 24-hour scale (see module docstring).
    """
    values = {k: v for k, v in means.items() if _ok(v)}
    if not values:
        return None
    if hourly:
        return hourly_aqi(pm25=values.get("pm25"), pm10=values.get("pm10"), so2=values.get("so2"),
                          no2=values.get("no2"), o3=values.get("o3"), co=values.get("co")).aqi
    return daily_aqi(pm25=values.get("pm25"), pm10=values.get("pm10"), so2=values.get("so2"),
                     no2=values.get("no2"), o3_8h=values.get("o3"), co=values.get("co")).aqi


def _ok(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))
