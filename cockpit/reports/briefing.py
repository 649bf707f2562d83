"""The numbers of one briefing: headline figures with 同比/环比, tasks, cards, data sources, rankings.

Everything is a pure function of the stored data and the period (never of the current time), so a past period
regenerates with the same numbers. The result is plain JSON-ready data; renderers only lay it out.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta

from alerts import queries as alert_queries
from cockpit.core import store as core_store
from cockpit.core.config import Config
from cockpit.core.db import Database
from cockpit.core.scope import scope_prefix
from cockpit.reports import store
from cockpit.reports.narrative import narrative
from cockpit.reports.periods import Period
from cockpit.reports.rankings import rankings
from indicators import queries as indicator_queries

RUN_OK, RUN_FAILED = "ok", ("failed", "hung")  # source_runs.status as the connectors write it
_DURATION = re.compile(r"^(\d+)([smhd])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def build(db: Database, config: Config, kind_period: Period, area_code: str) -> dict:
    """Every figure of the briefing of `area_code` (the city or a district) for the period."""
    area = core_store.area(db, area_code)
    if area is None:
        raise ValueError(f"unknown area {area_code}")
    period = kind_period
    prefix = scope_prefix(area_code)
    totals = store.task_groups(db, "all", prefix, period.start, period.end)
    numbers = {
        "kind": period.kind,
        "area": {"code": area.code, "name": area.name, "level": area.level},
        "city": config.city.name,
        "issuer": config.reports.issuer,
        "demo": config.city.demo,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat(),
                   "first_day": period.first_day().isoformat(), "last_day": period.last_day().isoformat(),
                   "issue_no": period.issue_no, "year": period.year},
        "headline": headline(db, config, period, area_code),
        "warnings": alert_queries.period_summary(db, config, area_code, period.start, period.end),
        "tasks": {
            "total": _task_total(totals[0] if totals else None),
            "by_district": _named_areas(db, store.task_groups(db, "district", prefix, period.start, period.end))
            if area.level == "city" else [],
            "by_unit": _named_units(db, store.task_groups(db, "unit", prefix, period.start, period.end)),
        },
        "cards": _named_units(db, store.cards_by_unit(db, prefix, period.start, period.end), key="unit_id"),
        "sources": late_sources(db, config, period),
        "rankings": [_ranking_for(r.as_dict(), area_code) for r in rankings(db, config, period)],
    }
    numbers["narrative"] = narrative(numbers)
    return numbers


def digest(numbers: dict) -> str:
    """A fingerprint of the numbers (the archive keeps it; a regenerated period must match)."""
    return hashlib.sha256(json.dumps(numbers, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def headline(db: Database, config: Config, period: Period, area_code: str) -> list[dict]:
    """The configured headline indicators for the period: value, previous period, same period last year, target."""
    out = []
    for iid in config.reports.headline:
        ind = config.indicators.get(iid)
        if ind is None:
            continue
        cmp = indicator_queries.compare(db, config, iid, area_code, period.grain, period.start) \
            if period.grain in ind.grains else None
        met = None
        if cmp and cmp.value is not None and ind.target is not None:
            met = cmp.value >= ind.target if ind.direction == "higher_better" else (
                cmp.value <= ind.target if ind.direction == "lower_better" else None)
        out.append({"indicator_id": iid, "name": ind.name, "unit": ind.unit, "direction": ind.direction,
                    "value": _r(cmp.value if cmp else None), "previous": _r(cmp.previous if cmp else None),
                    "last_year": _r(cmp.last_year if cmp else None), "mom_pct": _r(cmp.mom_pct if cmp else None),
                    "yoy_pct": _r(cmp.yoy_pct if cmp else None), "target": ind.target, "met": met})
    return out


def late_sources(db: Database, config: Config, period: Period) -> list[dict]:
    """Sources that were late (a gap between successful runs over `warn_after`) or broken (over `error_after`,
    or runs failing) during the period; sources with no run at all are listed as such."""
    if not store.table_exists(db, "source_runs"):
        return []
    runs: dict[str, list[dict]] = {}
    for r in store.source_runs(db, period.start, period.end):
        runs.setdefault(r["source_id"], []).append(r)
    out = []
    for sid, src in config.sources.items():
        if not src.enabled:
            continue
        mine = runs.get(sid, [])
        last_before = next((r["last_before"] for r in mine if r["last_before"] is not None), None)
        finishes = sorted(r["finished_at"] for r in mine if r["status"] == RUN_OK)
        failed = sum(1 for r in mine if r["status"] in RUN_FAILED)
        if last_before is None and not finishes and not failed:
            out.append({"source_id": sid, "name": src.name, "state": "no_runs", "max_gap_hours": None,
                        "failed_runs": 0})
            continue
        points = [last_before or period.start, *finishes, period.end]
        gap = max((b - a for a, b in zip(points, points[1:], strict=False)), default=timedelta(0))
        state = None
        if gap > _duration(src.freshness.error_after) or (failed and not finishes):
            state = "broken"
        elif gap > _duration(src.freshness.warn_after) or failed:
            state = "late"
        if state:
            out.append({"source_id": sid, "name": src.name, "state": state,
                        "max_gap_hours": round(gap.total_seconds() / 3600, 2), "failed_runs": failed})
    return out


def _ranking_for(ranking: dict, area_code: str) -> dict:
    """A district's briefing marks its own row; the city's shows every row unmarked."""
    for row in ranking["rows"]:
        row["own"] = ranking["subject_kind"] == "district" and row["subject"] == area_code
    return ranking


def _task_total(row: dict | None) -> dict:
    keys = ("dispatched", "closed", "on_time", "overdue")
    out = {k: (row or {}).get(k, 0) for k in keys}
    out["on_time_rate"] = _r(out["on_time"] / out["closed"]) if out["closed"] else None
    return out


def _named_areas(db: Database, rows: list[dict]) -> list[dict]:
    names = {a.code: a.name for a in core_store.areas(db, level="district")}
    return [{**_task_total(r), "code": r["key"], "name": names.get(r["key"], r["key"])} for r in rows]


def _named_units(db: Database, rows: list[dict], key: str = "key") -> list[dict]:
    names = {u["unit_id"]: (u["short"] or u["name"]) for u in core_store.units(db)}
    out = []
    for r in rows:
        base = _task_total(r) if key == "key" else {k: v for k, v in r.items() if k != key}
        out.append({**base, "unit_id": r[key], "name": names.get(r[key], r[key])})
    return out


def _duration(text: str) -> timedelta:
    m = _DURATION.match(text)
    return timedelta(seconds=int(m.group(1)) * _SECONDS[m.group(2)]) if m else timedelta(hours=2)


def _r(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)
