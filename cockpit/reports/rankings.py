"""晾晒台: districts and departments ranked fairly by each configured criterion.

Fair means: volumes are compared per 10万 residents; a subject with fewer cases than the minimum sample is listed
as 样本不足 and never ranked (so two closed tasks on time do not beat two hundred); districts are ranked within
their peer group (市区 vs 县级市) when groups are configured. Each row carries how its score was computed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from cockpit.core import store as core_store
from cockpit.core.config import Config
from cockpit.core.config.reports import CriterionConfig
from cockpit.core.db import Database
from cockpit.core.i18n import N_
from cockpit.reports.metrics import SPECS, Facts, Figure, figure
from cockpit.reports.periods import Period

TITLES = {
    "task_on_time_rate": N_("Task on-time rate"),
    "warning_response_hours": N_("Mean response time to warnings"),
    "indicator_attainment": N_("Indicator attainment against target"),
    "form_reporting_rate": N_("Manual-form reporting rate"),
    "overdue_per_100k": N_("Overdue tasks per 100,000 residents"),
}


@dataclass(frozen=True)
class Row:
    """One subject in one ranking. `status`: ranked, insufficient (样本不足) or no_data."""

    subject: str
    name: str
    group: str | None
    status: str
    value: float | None
    numerator: float | None
    denominator: float | None
    sample: int
    min_sample: int
    rank: int | None
    of: int | None
    previous_rank: int | None
    change: int | None
    detail: dict


@dataclass(frozen=True)
class Ranking:
    """One criterion's ranking of districts or departments for one period."""

    criterion: str
    metric: str
    subject_kind: str
    title: str  # msgid
    unit: str
    higher_better: bool
    rows: list[Row]

    def as_dict(self) -> dict:
        """Plain data for the archive and the exports."""
        return asdict(self)


def rankings(db: Database, config: Config, period: Period, with_change: bool = True) -> list[Ranking]:
    """Every configured criterion × subject kind, for `period`, with the rank change since the previous period."""
    facts = Facts(db, config, period)
    prev = {(r.criterion, r.subject_kind): r for r in rankings(db, config, period.previous(), False)} \
        if with_change else {}
    out = []
    for crit in config.reports.rankings.criteria:
        for kind in crit.subjects:
            ranking = _rank(config, crit, kind, facts)
            before = prev.get((crit.id, kind))
            if before is not None:
                ranking = _with_change(ranking, before)
            out.append(ranking)
    return out


def _subjects(config: Config, facts: Facts, kind: str) -> list[tuple[str, str, str | None]]:
    """(id, name, peer group) of every district or department."""
    groups = config.reports.rankings.peer_groups
    if kind == "district":
        return [(d.code, d.name, groups.get(d.kind or "", None) if groups else None) for d in facts.districts()]
    return [(u["unit_id"], u["short"] or u["name"], None) for u in core_store.units(facts.db, kind="department")]


def _rank(config: Config, crit: CriterionConfig, kind: str, facts: Facts) -> Ranking:
    spec = SPECS[crit.metric]
    minimum = crit.min_sample or config.reports.rankings.min_sample
    scored: list[tuple[str, str, str | None, Figure]] = [
        (sid, name, group, figure(crit.metric, facts, kind, sid)) for sid, name, group in _subjects(config, facts, kind)]
    rows: list[Row] = []
    for group in dict.fromkeys(g for _, _, g, _ in scored):
        members = [s for s in scored if s[2] == group]
        eligible = [s for s in members if s[3].value is not None and s[3].sample >= minimum]
        eligible.sort(key=lambda s: (-s[3].value if spec.higher_better else s[3].value, s[0]))
        ranks = _competition_ranks([round(s[3].value, 9) for s in eligible])
        for (sid, name, grp, fig), rank in zip(eligible, ranks, strict=True):
            rows.append(_row(sid, name, grp, "ranked", fig, minimum, rank, len(eligible)))
        for sid, name, grp, fig in members:
            if any(sid == e[0] for e in eligible):
                continue
            status = "no_data" if fig.value is None else "insufficient"
            rows.append(_row(sid, name, grp, status, fig, minimum, None, len(eligible)))
    return Ranking(crit.id, crit.metric, kind, TITLES[crit.metric], spec.unit, spec.higher_better, rows)


def _row(sid, name, group, status, fig: Figure, minimum: int, rank, of) -> Row:
    return Row(sid, name, group, status, fig.value, fig.numerator, fig.denominator, fig.sample, minimum, rank, of,
               None, None, fig.detail)


def _competition_ranks(values: list[float]) -> list[int]:
    """Standard competition ranking (1, 2, 2, 4) of values already in order."""
    ranks: list[int] = []
    for i, v in enumerate(values):
        ranks.append(ranks[-1] if i and v == values[i - 1] else i + 1)
    return ranks


def _with_change(ranking: Ranking, before: Ranking) -> Ranking:
    """Positive change: moved up since the previous period."""
    old = {r.subject: r.rank for r in before.rows}
    rows = []
    for r in ranking.rows:
        prev = old.get(r.subject)
        change = prev - r.rank if prev is not None and r.rank is not None else None
        rows.append(Row(**{**asdict(r), "previous_rank": prev, "change": change}))
    return Ranking(ranking.criterion, ranking.metric, ranking.subject_kind, ranking.title, ranking.unit,
                   ranking.higher_better, rows)
