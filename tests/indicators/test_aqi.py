"""HJ 633-2012 AQI: breakpoints, rounding, categories, primary pollutants, and the published national figures."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from indicators import aqi

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "air_quality"


@pytest.mark.parametrize(("conc", "bps", "expected"), [
    (0, aqi.BREAKPOINTS_24H["pm25"], 0),
    (35, aqi.BREAKPOINTS_24H["pm25"], 50),
    (35.1, aqi.BREAKPOINTS_24H["pm25"], 51),       # rounded up, never down
    (75, aqi.BREAKPOINTS_24H["pm25"], 100),
    (252, aqi.BREAKPOINTS_24H["pm25"], 302),
    (500, aqi.BREAKPOINTS_24H["pm25"], 500),
    (650, aqi.BREAKPOINTS_24H["pm25"], 500),      # beyond the table: capped at 500
    (160, aqi.BREAKPOINTS_1H["o3"], 50),
    (136, aqi.BREAKPOINTS_1H["o3"], 43),
    (5, aqi.BREAKPOINTS_1H["co"], 50),
    (0.7, aqi.BREAKPOINTS_1H["co"], 7),
])
def test_iaqi_breakpoints_and_rounding(conc, bps, expected):
    assert aqi.iaqi(conc, bps) == expected


def test_negative_concentration_is_an_error():
    with pytest.raises(ValueError):
        aqi.iaqi(-1, aqi.BREAKPOINTS_24H["pm25"])


@pytest.mark.parametrize(("value", "name"), [(0, "优"), (50, "优"), (51, "良"), (100, "良"), (101, "轻度污染"),
                                             (150, "轻度污染"), (151, "中度污染"), (200, "中度污染"),
                                             (201, "重度污染"), (300, "重度污染"), (301, "严重污染"), (500, "严重污染")])
def test_categories(value, name):
    assert aqi.category(value)[0] == name


def test_primary_pollutant_only_above_50_and_ties_listed():
    assert aqi.hourly_aqi(pm25=20, no2=30).primary == ()
    result = aqi.hourly_aqi(pm25=75, pm10=150, no2=30)      # both IAQI 100
    assert result.aqi == 100 and result.primary == ("PM10", "PM2.5")
    assert aqi.hourly_aqi(pm25=252, o3=5).primary == ("PM2.5",)


def test_so2_above_800_uses_24h_scale():
    result = aqi.hourly_aqi(so2=900, so2_24h=700)
    assert result.iaqi["so2"] == aqi.iaqi(700, aqi.BREAKPOINTS_24H["so2"])


def test_daily_o3_8h_above_800_uses_1h_maximum():
    result = aqi.daily_aqi(o3_8h=850, o3_1h_max=900)
    assert result.aqi == aqi.iaqi(900, aqi.BREAKPOINTS_1H["o3"])
    assert aqi.daily_aqi(pm25=115, o3_8h=100).aqi == 150


def _published(path: Path) -> dict[tuple[str, str], dict[str, float]]:
    rows: dict[tuple[str, str], dict[str, float]] = {}
    with path.open(encoding="utf-8") as f:
        reader = csv.reader(f)
        stations = next(reader)[3:]
        for line in reader:
            for station, value in zip(stations, line[3:], strict=True):
                if value.strip():
                    rows.setdefault((line[1], station), {})[line[2]] = float(value)
    return rows


@pytest.mark.parametrize("name", ["china_sites_20190114.csv", "china_sites_20190715.csv"])
def test_hourly_aqi_matches_the_national_release(name):
    """Every station-hour with a published AQI: same AQI, the category and primary that AQI implies."""
    path = DATA / name
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing in CI")
        pytest.skip(f"real data not present: {path} (the ../shared/datasets folder is only in CI)")
    checked = 0
    mismatches = []
    for key, v in _published(path).items():
        if "AQI" not in v:
            continue
        result = aqi.hourly_aqi(pm25=v.get("PM2.5"), pm10=v.get("PM10"), so2=v.get("SO2"), no2=v.get("NO2"),
                                o3=v.get("O3"), co=v.get("CO"), so2_24h=v.get("SO2_24h"))
        checked += 1
        if result.aqi != int(v["AQI"]):
            mismatches.append((key, v["AQI"], result.aqi))
        assert result.category == aqi.category(int(v["AQI"]))[0]
        if result.aqi > 50:
            assert result.primary and all(result.iaqi[p.lower().replace(".", "")] == result.aqi
                                          for p in result.primary)
    assert checked > 30_000
    assert mismatches == [], f"{len(mismatches)} of {checked} differ, e.g. {mismatches[:5]}"
