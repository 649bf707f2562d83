"""The closed table of ranking metrics: each turns one period's facts into a figure per district or department,
with the numerator, denominator and sample it was computed from (nothing is evaluated from configuration)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cockpit.core import store as core_store
from cockpit.core.config import Config
from cockpit.core.db import Database
from cockpit.core.scope import scope_prefix
from cockpit.reports import store
from cockpit.reports.periods import Period
from indicators import queries as indicator_queries

PER_CAPITA = 100_000


@dataclass(frozen=True)
class Figure:
    """One subject's figure for one metric; `value` None when there is nothing to divide by."""

    value: float | None
    numerator: float | None
    denominator: float | None
    sample: int
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class MetricSpec:
    """How a metric is read: which way is better and how its value is shown."""

    higher_better: bool
    unit: str  # "%", "h" or "per_100k"


SPECS = {
    "task_on_time_rate": MetricSpec(True, "%"),
    "warning_response_hours": MetricSpec(False, "h"),
    "indicator_attainment": MetricSpec(True, "%"),
    "form_reporting_rate": MetricSpec(True, "%"),
    "overdue_per_100k": MetricSpec(False, "per_100k"),
}


class Facts:
    """The counts of one period that every metric reads, gathered once (lazily) per period."""

    def __init__(self, db: Database, config: Config, period: Period):
        self.db, self.config, self.period = db, config, period
        self.city = config.city.code
        self._cache: dict = {}

    def _once(self, key: str, make: Callable):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def tasks(self, by: str) -> dict[str, dict]:
        """task_groups per district or unit, keyed by district code or unit id."""
        return self._once(f"tasks:{by}", lambda: {r["key"]: r for r in store.task_groups(
            self.db, by, scope_prefix(self.city), self.period.start, self.period.end)})

    def districts(self) -> list[core_store.Area]:
        """The city's districts."""
        return self._once("districts", lambda: core_store.children(self.db, self.city))

    def values(self, indicator_id: str) -> dict[str, float | None]:
        """The period value of one indicator for the city and each district (two queries, cached)."""
        def make():
            grain, start = self.period.grain, self.period.start
            out = {r["area_code"]: r["value"] for r in indicator_queries.breakdown(
                self.db, indicator_id, self.city, grain, start).iter_rows(named=True)}
            city = indicator_queries.trend(self.db, indicator_id, self.city, grain, start, self.period.end)
            out[self.city] = city["value"][0] if city.height else None
            return out
        return self._once(f"values:{indicator_id}", make)

    def attainment(self, area_code: str, owner: str | None = None) -> Figure:
        """Targeted indicators (of `owner`, if given) whose period value met the target in `area_code`."""
        met, measured = [], []
        for iid, ind in self.config.indicators.items():
            if ind.target is None or ind.direction not in ("higher_better", "lower_better"):
                continue
            if self.period.grain not in ind.grains or (owner is not None and ind.owner != owner):
                continue
            value = self.values(iid).get(area_code)
            if value is None:
                continue
            measured.append(iid)
            if value >= ind.target if ind.direction == "higher_better" else value <= ind.target:
                met.append(iid)
        value = len(met) / len(measured) if measured else None
        return Figure(value, len(met), len(measured), len(measured),
                      {"met": met, "missed": [i for i in measured if i not in met]})

    def forms(self) -> dict[str, tuple[int, int]]:
        """Per district: (reports submitted, reports expected) over every manual form in the period."""
        def make():
            out: dict[str, list[int]] = {d.code: [0, 0] for d in self.districts()}
            streets = core_store.areas(self.db, within=self.city, level="street")
            for sid, src in self.config.sources.items():
                if src.kind != "manual_form" or not src.enabled or not store.table_exists(self.db, "form_submissions"):
                    continue
                within = src.settings.get("within")
                periods = _count_periods(self.period, src.settings.get("period", "day"))
                got = store.form_reports(self.db, sid, scope_prefix(within or self.city), self.period.start,
                                         self.period.end)
                for d in out:
                    n = sum(1 for s in streets if s.code.startswith(d) and (not within or s.code.startswith(
                        scope_prefix(within))))
                    out[d][0] += got.get(d, 0)
                    out[d][1] += n * periods
            return {k: (v[0], v[1]) for k, v in out.items()}
        return self._once("forms", make)


def figure(metric: str, facts: Facts, subject_kind: str, subject: str) -> Figure:
    """The figure of `metric` for a district code or unit id in the facts' period."""
    if metric in ("task_on_time_rate", "warning_response_hours"):
        row = facts.tasks("district" if subject_kind == "district" else "unit").get(subject, {})
        if metric == "task_on_time_rate":
            num, den = row.get("on_time", 0), row.get("closed", 0)
            return Figure(num / den if den else None, num, den, den)
        hours, den = row.get("response_seconds", 0.0) / 3600, row.get("warning_tasks", 0)
        return Figure(hours / den if den else None, round(hours, 4), den, den)
    if metric == "indicator_attainment":
        if subject_kind == "district":
            return facts.attainment(subject)
        return facts.attainment(facts.city, owner=subject)
    if metric == "form_reporting_rate":
        num, den = facts.forms().get(subject, (0, 0))
        return Figure(num / den if den else None, num, den, den)
    if metric == "overdue_per_100k":
        row = facts.tasks("district").get(subject, {})
        area = next((d for d in facts.districts() if d.code == subject), None)
        pop = area.population if area else None
        overdue = row.get("overdue", 0)
        return Figure(overdue / pop * PER_CAPITA if pop else None, overdue, pop, row.get("dispatched", 0),
                      {"population": pop})
    raise ValueError(f"unknown metric {metric!r}")


def _count_periods(period: Period, form_period: str) -> int:
    """How many form periods (day/week/month) start inside the briefing period."""
    from indicators.periods import period_start, shift

    n, at = 0, period_start(period.start, form_period, period.tz)
    if at < period.start:
        at = shift(at, form_period, 1, period.tz)
    while at < period.end:
        n, at = n + 1, shift(at, form_period, 1, period.tz)
    return n
