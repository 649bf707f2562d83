"""一张表 (manual_form): submissions, scope, resubmission, late and missing streets, and the pipeline into the
dataset that the 报送率 indicator reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import yaml

from cockpit.core.clock import FixedClock
from cockpit.core.i18n import use_locale
from cockpit.core.store import User
from connectors import forms
from connectors.desk import Desk, NotAllowed
from connectors.runner import run_source
from tests.connectors.conftest import ROOT

DATASETS = yaml.safe_load((ROOT / "config/taizhou/datasets.yaml").read_text(encoding="utf-8"))
SOURCE = {"township": {"name": "乡镇一张表", "kind": "manual_form", "dataset": "township_reports", "schedule": "15m",
                       "settings": {"period": "day", "due": "18h", "within": "321202",
                                    "required": ["hazards_found", "grid_patrols"]}}}
# 2026-03-02 08:00 UTC is 16:00 in Taizhou: before the 18:00 deadline of 2 March
MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CHENGDONG, CHENGXI = "321202001", "321202002"
FIGURES = {"hazards_found": "12", "hazards_fixed": "10", "grid_patrols": "340", "petitions": "3",
           "disputes_resolved": "2", "note": "无"}


def street_user(area: str, role: str = "center_operator", user_id: str = "street1") -> User:
    return User(user_id, "街道", role, None, area, None, False, 0, None, False)


@pytest.fixture
def rt(deploy):
    return deploy({"township_reports": DATASETS["township_reports"]}, SOURCE)


def test_streets_of_the_configured_area_must_report(rt):
    streets = forms.reporting(rt.db, rt.config, "township", MORNING, None, MORNING).streets
    assert len(streets) > 5 and all(s.street_code.startswith("321202") for s in streets)
    assert forms.must_report(rt.db, rt.config, "township", CHENGDONG)
    assert not forms.must_report(rt.db, rt.config, "township", "321203001")   # another district
    assert not forms.must_report(rt.db, rt.config, "township", "321202")      # a district is not a street


def test_invalid_figures_are_refused_with_every_problem_in_chinese(rt):
    bad = FIGURES | {"hazards_found": "", "grid_patrols": "三百", "hazards_fixed": "-1", "petitions": "2.5"}
    with pytest.raises(forms.FormError) as err:
        forms.submit(rt.db, rt.config, "township", CHENGDONG, bad, MORNING, "street1")
    with use_locale("zh_CN"):
        messages = err.value.messages()
    assert len(messages) == 4
    text = "\n".join(messages)
    assert "请填写" in text and "安全隐患排查数" in text
    assert "网格巡查人次" in text and "三百" in text and "整数" in text
    assert "不能为负数" in text
    assert rt.db.rows("select count(*) from form_submissions") == [(0,)]


def test_resubmission_before_the_deadline_replaces_and_after_it_is_refused(rt):
    first = forms.submit(rt.db, rt.config, "township", CHENGDONG, FIGURES, MORNING, "street1")
    assert not first.late and not first.replaced
    again = forms.submit(rt.db, rt.config, "township", CHENGDONG, FIGURES | {"hazards_found": "15"},
                         MORNING + timedelta(hours=1), "street1")
    assert again.replaced
    assert forms.latest_values(rt.db, "township", CHENGDONG, first.period_start)["hazards_found"] == 15
    with pytest.raises(forms.FormError):
        forms.submit(rt.db, rt.config, "township", CHENGDONG, FIGURES, MORNING + timedelta(hours=3), "street1")
    result = run_source(rt.db, rt.config, "township", rt.clock)
    assert result.status == "ok"
    rows = rt.db.rows("select report_id, status, hazards_found from township_reports where street_code = ?",
                      [CHENGDONG])
    assert rows == [(f"{CHENGDONG}-2026-03-02", "已报", 15)]      # one row per street and day: replaced
    count = rt.db.rows("select count(*) from township_reports")
    assert run_source(rt.db, rt.config, "township", rt.clock).status == "ok"
    assert rt.db.rows("select count(*) from township_reports") == count   # a second run doubles nothing


def test_reporting_rate_counts_late_and_missing_streets(rt):
    streets = [s.street_code for s in forms.reporting(rt.db, rt.config, "township", MORNING, None, MORNING).streets]
    forms.submit(rt.db, rt.config, "township", CHENGDONG, FIGURES, MORNING, "street1")
    before = forms.reporting(rt.db, rt.config, "township", MORNING, None, MORNING)
    assert before.count("pending") == len(streets) - 1                # not late yet before 18:00
    forms.submit(rt.db, rt.config, "township", CHENGXI, FIGURES, MORNING + timedelta(hours=4), "street2")  # 20:00
    evening = MORNING + timedelta(hours=5)
    report = forms.reporting(rt.db, rt.config, "township", MORNING, None, evening)
    states = {s.street_code: s.state for s in report.streets}
    assert states[CHENGDONG] == "on_time" and states[CHENGXI] == "late"
    assert report.count("missing") == len(streets) - 2
    assert report.rate == pytest.approx(1 / len(streets))
    # the pipeline writes one row per street, so the indicator's denominator counts the missing ones
    rt.clock.advance(hours=5)
    assert run_source(rt.db, rt.config, "township", rt.clock).status == "ok"
    rows = dict(rt.db.rows("select status, count(*) from township_reports group by status"))
    assert rows == {"已报": 2, "待报": len(streets) - 2}
    on_time = rt.db.rows("select count(*) from township_reports where submitted_at <= due_at")[0][0]
    assert on_time == 1                                               # grid.reporting_rate's numerator


def test_next_day_run_writes_the_new_period_and_a_late_report_for_yesterday(rt):
    assert run_source(rt.db, rt.config, "township", rt.clock).status == "ok"
    rt.clock.advance(days=1)
    yesterday = MORNING
    done = forms.submit(rt.db, rt.config, "township", CHENGDONG, FIGURES, rt.clock.now(), "street1",
                        period=yesterday)
    assert done.late and done.period_start < rt.clock.now() - timedelta(hours=20)
    assert run_source(rt.db, rt.config, "township", rt.clock).status == "ok"
    rows = rt.db.rows("select report_id, status from township_reports where street_code = ? order by 1",
                      [CHENGDONG])
    assert rows == [(f"{CHENGDONG}-2026-03-02", "已报"), (f"{CHENGDONG}-2026-03-03", "待报")]


def test_desk_lets_a_street_user_submit_only_for_their_own_street(rt):
    desk = Desk(rt.db, rt.config, rt.clock)
    own = street_user(CHENGDONG)
    assert desk.submit(own, "township", CHENGDONG, FIGURES).done is not None
    with pytest.raises(NotAllowed):
        desk.submit(own, "township", CHENGXI, FIGURES)
    with pytest.raises(NotAllowed):                                    # a district operator has no street
        desk.submit(street_user("321202", user_id="op"), "township", "321202", FIGURES)
    with pytest.raises(NotAllowed):                                    # a leader does not fill in forms
        desk.submit(street_user(CHENGDONG, role="leader"), "township", CHENGDONG, FIGURES)
    outcome = desk.submit(own, "township", CHENGDONG, FIGURES | {"grid_patrols": "x"})
    assert outcome.done is None and outcome.problems
    audit = rt.db.rows("select action, object, outcome from audit_log where action = 'form.submit' order by seq")
    assert audit == [("form.submit", f"area:{CHENGDONG}", "ok"), ("form.submit", f"area:{CHENGXI}", "denied"),
                     ("form.submit", "area:321202", "denied"), ("form.submit", f"area:{CHENGDONG}", "denied"),
                     ("form.submit", f"area:{CHENGDONG}", "failed")]


def test_within_the_city_code_means_every_street_of_the_city(deploy):
    source = {"township": SOURCE["township"] | {"settings": {"period": "day", "due": "18h", "within": "321200"}}}
    rt = deploy({"township_reports": DATASETS["township_reports"]}, source)
    expected = len(forms.reporting(rt.db, rt.config, "township", MORNING, None, MORNING).streets)
    assert expected > 80
    assert run_source(rt.db, rt.config, "township", rt.clock).status == "ok"
    assert rt.db.rows("select count(*) from township_reports") == [(expected,)]


def test_a_district_center_sees_only_its_own_streets(deploy):
    source = {"township": SOURCE["township"] | {"settings": {"period": "day", "due": "18h"}}}
    rt = deploy({"township_reports": DATASETS["township_reports"]}, source)
    desk = Desk(rt.db, rt.config, FixedClock(MORNING))
    report = desk.reporting(street_user("321203", role="duty_officer"), "township")
    assert report.streets and all(s.street_code.startswith("321203") for s in report.streets)
    with pytest.raises(NotAllowed):
        desk.reporting(street_user(CHENGDONG, role="admin"), "township")
