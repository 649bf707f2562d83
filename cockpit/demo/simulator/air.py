"""Air-quality automatic stations (空气质量自动站): hourly readings dropped as GBK CSV files with Chinese
headers (the way the provincial platform exports them), or published over MQTT when a broker is configured.

Demo volume: 8 stations, one reading per station per hour. PM2.5 ≈ 55 µg/m³ in winter, ≈ 22 in summer,
with smog episodes; O3 peaks on summer afternoons.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np

from cockpit.demo.simulator.base import System, noise, weather
from cockpit.demo.simulator.city import HOUR, local_text, winter_peak

STATIONS = 8
HEADER = ["站点编码", "监测时间", "所属街道", "PM2.5", "PM10", "PM2.5_24小时", "PM10_24小时", "SO2", "NO2", "O3",
          "CO"]


class AirStations(System):
    """Hourly readings of every station."""

    name = "air_quality"
    history_interval = HOUR
    live_interval = HOUR

    @property
    def drop(self) -> Path:
        """The folder the station platform drops its files into."""
        return self.ctx.folder / "drop" / "air_quality"

    def stations(self) -> list[tuple[str, str]]:
        """(station code, street) of every station: two in 海陵区, one in every other district and one more."""
        city = self.ctx.city
        streets = [city.streets_of(d)[0] for d in city.districts]
        streets = [streets[0], city.streets_of(city.districts[0])[2], *streets[1:]][:STATIONS]
        while len(streets) < STATIONS:
            streets.append(city.streets[len(streets) * 7 % len(city.streets)])
        return [(f"{city.code[:4]}{i + 1:02d}A", s) for i, s in enumerate(streets)]

    def pm25(self, times: np.ndarray, i: int, street: str) -> np.ndarray:
        """PM2.5 µg/m³ at one station (before the hourly noise)."""
        city = self.ctx.city
        hour, _w, doy = city.local(times)
        diurnal = 1 + 0.18 * np.cos(2 * np.pi * (hour - 8) / 24)
        smog = np.exp(0.45 * weather(city, "smog", times))
        value = 33 * winter_peak(doy, 0.5) * diurnal * smog * (1 + 0.05 * i / STATIONS)
        hit, params = self.ctx.drills.mask("heavy_pollution", times, district=city.street_district[street])
        if hit.any():
            value = np.where(hit, np.maximum(value, 1) * 0 + float((params or {}).get("pm25", 230)), value)
        return value

    def readings(self, times: np.ndarray) -> list[dict]:
        """One reading per station per time."""
        city = self.ctx.city
        off = city.utc_offset_hours
        text = local_text(times, off)
        hour, _w, doy = city.local(times)
        out = []
        for i, (code, street) in enumerate(self.stations()):
            pm25 = np.clip(self.pm25(times, i, street) * np.exp(0.12 * noise(city, "pm25", times, i)), 3, 900)
            day_mean = np.mean([self.pm25(times - k * HOUR, i, street) for k in range(0, 24, 3)], axis=0)
            pm10 = pm25 * (1.55 + 0.1 * noise(city, "pm10", times, i))
            o3 = np.clip(25 + 110 * np.clip((doy - 60) / 120, 0, 1) * np.clip((240 - doy) / 60, 0.3, 1)
                         * np.exp(-((hour - 15) ** 2) / 10) + 8 * noise(city, "o3", times, i), 2, 400)
            no2 = np.clip(22 + 12 * np.exp(-((hour - 8.5) ** 2) / 3) + 14 * np.exp(-((hour - 19) ** 2) / 4)
                          + 4 * noise(city, "no2", times, i), 3, 200)
            so2 = np.clip(7 + 1.5 * noise(city, "so2", times, i), 2, 60)
            co = np.clip(0.6 + 0.004 * pm25 + 0.05 * noise(city, "co", times, i), 0.2, 6)
            for j in range(times.size):
                out.append({"station_code": code, "measured_at": text[j], "street_code": street,
                            "pm25": round(float(pm25[j])), "pm10": round(float(pm10[j])),
                            "pm25_24h": round(float(day_mean[j])), "pm10_24h": round(float(day_mean[j] * 1.55)),
                            "so2": round(float(so2[j])), "no2": round(float(no2[j])), "o3": round(float(o3[j])),
                            "co": round(float(co[j]), 2)})
        return out

    def generate(self, start: int, end: int, history: bool) -> int:
        """Readings of the hours in [start, end): a file (or MQTT messages when live with a broker)."""
        times = self.reading_times(start, end, history)
        if times.size == 0:
            return 0
        rows = self.readings(times)
        if self.ctx.mqtt is not None and not history:
            for r in rows:
                self.ctx.mqtt.publish(f"taizhou/air/{r['station_code']}/reading",
                                      json.dumps(r, ensure_ascii=False), qos=1)
            return len(rows)
        stamp = local_text(np.array([times[0]]), self.ctx.city.utc_offset_hours)[0]
        name = f"{'历史' if history else ''}空气质量小时数据_{stamp[:13].replace('-', '').replace(' ', '')}"
        write_csv_gbk(self.drop, name, HEADER, [list(r.values()) for r in rows])
        return len(rows)


def write_csv_gbk(folder: Path, name: str, header: list[str], rows: list[list]) -> Path:
    """Write a GBK CSV atomically (a temporary name, then a rename) so a reader never sees half a file."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.csv"
    n = 1
    while target.exists() or (folder / "archive" / target.name).exists():
        n += 1
        target = folder / f"{name}_{n}.csv"
    tmp = folder / f".{target.name}.part"
    with tmp.open("w", encoding="gbk", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    os.replace(tmp, target)
    return target
