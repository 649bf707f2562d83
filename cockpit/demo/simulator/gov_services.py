"""The government-service platform (政务服务): a daily statistics workbook (.xlsx) dropped at 01:00 for the
day before, one row per district; the history arrives as one workbook per month.

Baselines of the brief: 全程网办 ≈ 99.7 %, 好评率 ≈ 99.99 %, 即办 ≈ 36 %, 承诺时限 ≈ 38 % of the statutory time.
"""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook

from cockpit.demo.simulator.base import System
from cockpit.demo.simulator.city import local_text, weekly
from cockpit.demo.simulator.daily_stats import SIZE, finished_days

HEADER = ["区县代码", "统计日期", "事项总数", "全程网办事项数", "即办事项数", "办件量", "网办件量", "评价总数", "好评数",
          "差评数", "差评整改数", "承诺时限合计", "法定时限合计"]


class GovServices(System):
    """Daily statistics workbooks."""

    name = "gov_services"

    @property
    def drop(self) -> Path:
        """The folder the platform drops its workbooks into."""
        return self.ctx.folder / "drop" / "gov_services"

    def generate(self, start: int, end: int, history: bool) -> int:
        """One workbook with the days published in [start, end)."""
        city = self.ctx.city
        off = city.utc_offset_hours
        days = finished_days(start, end, off)
        if days.size == 0:
            return 0
        rng = city.rng(self.name, start)
        dates = [t[:10] for t in local_text(days, off)]
        _h, weekday, _doy = city.local(days + 12 * 3600)
        rows = []
        for d in city.districts:
            size = SIZE.get(d, 1.0)
            items = int(1650 * size)
            apps = rng.poisson(760 * size * weekly(weekday, 0.12))
            online_apps = rng.binomial(apps, 0.91)
            reviews = rng.binomial(apps, 0.7)
            bad = rng.binomial(reviews, 0.0002)
            statutory = apps * 20.0
            for j, day in enumerate(dates):
                full_online = items - int(rng.binomial(items, 0.003))
                rows.append([d, day, items, full_online, int(items * rng.uniform(0.355, 0.375)), int(apps[j]),
                             int(online_apps[j]), int(reviews[j]), int(reviews[j] - bad[j]), int(bad[j]), int(bad[j]),
                             round(float(statutory[j] * rng.uniform(0.36, 0.4)), 1), float(statutory[j])])
        first = dates[0].replace("-", "")
        name = f"政务服务统计_{first}" + (f"_{dates[-1].replace('-', '')}" if len(dates) > 1 else "")
        write_xlsx(self.drop, name, HEADER, rows)
        return len(rows)


def write_xlsx(folder: Path, name: str, header: list[str], rows: list[list]) -> Path:
    """Write a one-sheet workbook atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.xlsx"
    n = 1
    while target.exists() or (folder / "archive" / target.name).exists():
        n += 1
        target = folder / f"{name}_{n}.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("统计")
    ws.append(header)
    for r in rows:
        ws.append(r)
    tmp = folder / f".{target.stem}.part"
    wb.save(tmp)
    os.replace(tmp, target)
    return target
