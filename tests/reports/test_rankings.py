"""晾晒台 fairness: per-capita volumes, a minimum sample (样本不足, never first), peer groups, rank change, and each
score explained from its own figures."""

from __future__ import annotations

from datetime import date

from cockpit.core.config.reports import RankingsConfig
from cockpit.core.i18n import use_locale
from cockpit.reports.explain import how
from cockpit.reports.periods import period_of
from cockpit.reports.rankings import rankings

POP = {"321202": 620_000, "321203": 480_000, "321204": 690_000, "321281": 1_120_000, "321282": 670_000,
       "321283": 950_000}


def _rank(rt, criterion: str, kind: str = "district", config=None) -> dict:
    config = config or rt.config
    period = period_of("daily", date(2026, 11, 22), config.city.timezone)
    found = next(r for r in rankings(rt.db, config, period) if r.criterion == criterion and r.subject_kind == kind)
    return {row.subject: row for row in found.rows}


def _ungrouped(rt):
    reports = rt.config.reports.model_copy(update={"rankings": RankingsConfig(
        criteria=rt.config.reports.rankings.criteria, min_sample=5, peer_groups={})})
    return rt.config.model_copy(update={"reports": reports})


def test_small_sample_is_listed_not_ranked_first(rt):
    rows = _rank(rt, "on_time", config=_ungrouped(rt))
    gaogang = rows["321203"]  # 2 of 2 on time: 100 %, but only 2 cases
    assert gaogang.value == 1.0 and gaogang.status == "insufficient" and gaogang.rank is None
    assert rows["321281"].rank == 1 and rows["321281"].value == 1.0  # 6 of 6
    assert rows["321202"].value == 0.8 and rows["321282"].value == 0.8
    assert rows["321202"].rank == rows["321282"].rank == 2 and rows["321202"].of == 3  # tie, standard ranking
    assert rows["321204"].status == "no_data"


def test_volumes_are_compared_per_100k_residents(rt):
    rows = _rank(rt, "overdue_per_capita", config=_ungrouped(rt))
    overdue = {"321202": 3, "321281": 3}  # the same count in both districts
    for code, n in overdue.items():
        assert rows[code].numerator == n and rows[code].denominator == POP[code]
        assert abs(rows[code].value - n / POP[code] * 100_000) < 1e-9
    # the larger county city has fewer overdue tasks per resident: ranked ahead of 海陵区
    assert rows["321281"].rank < rows["321202"].rank
    assert rows["321282"].value == 0 and rows["321282"].rank == 1  # 靖江: 5 tasks, none overdue


def test_peer_groups_rank_urban_districts_and_county_cities_apart(rt):
    rows = _rank(rt, "on_time")  # config.yaml: {urban_district: 市区, county_city: 县级市}
    assert rows["321202"].group == "市区" and rows["321281"].group == "县级市"
    assert rows["321202"].rank == 1 and rows["321202"].of == 1  # 高港 has too few cases; 姜堰 none
    assert rows["321281"].rank == 1 and rows["321282"].rank == 2 and rows["321282"].of == 2


def test_rank_change_since_the_previous_period(rt):
    rows = _rank(rt, "on_time", config=_ungrouped(rt))
    # the day before: 靖江 5/5 first, 兴化 4/5 second, 海陵 3/5 third
    assert rows["321282"].previous_rank == 1 and rows["321282"].change == -1
    assert rows["321281"].previous_rank == 2 and rows["321281"].change == 1
    assert rows["321202"].previous_rank == 3 and rows["321202"].change == 1


def test_warning_response_and_form_reporting(rt):
    response = _rank(rt, "warning_response", config=_ungrouped(rt))
    assert response["321202"].numerator == 4.0 and response["321202"].denominator == 2
    assert response["321202"].status == "insufficient"  # 2 accepted warning tasks < 5
    forms = _rank(rt, "form_reporting", config=_ungrouped(rt))
    streets = rt.db.rows("select count(*) from areas where parent_code = '321202'")[0][0]
    assert forms["321202"].numerator == 7 and forms["321202"].denominator == streets
    assert forms["321281"].numerator == 0 and forms["321281"].status == "ranked"


def test_department_ranking_and_explanations(rt):
    rows = _rank(rt, "on_time", kind="department")
    cg = rows["dept_chengguan"]  # 海陵 10 (8 on time) + 高港 2 (2 on time)
    assert (cg.numerator, cg.denominator, cg.rank) == (10, 12, 2)
    with use_locale("zh_CN"):
        text = how(cg.__dict__, "task_on_time_rate", "%")
        assert text.startswith("本期办结任务12件，其中按时办结10件，按时办结率83.3%。")
        assert "位列第2名" in text
        small = _rank(rt, "on_time", config=_ungrouped(rt))["321203"]
        assert "样本量2低于最低要求5，不参与排名（样本不足）" in how(small.__dict__, "task_on_time_rate", "%")
        per_capita = _rank(rt, "overdue_per_capita", config=_ungrouped(rt))["321202"]
        assert "超期任务3件 ÷ 常住人口620,000人 × 100,000 = 每10万人0.48件" in how(
            per_capita.__dict__, "overdue_per_100k", "per_100k")
