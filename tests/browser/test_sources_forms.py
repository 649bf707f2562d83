"""数据接入 and 一张表 in real Chromium against `cockpit demo` with two sources: a file drop holding one bad row,
and the township form. What a person sees: the sources listed, "run now" loading the file, the bad row's reason
in quarantine (for the city operator, not the administrator), a street submitting and correcting its figures,
the district seeing who reported, and a street refused another street's form even by a direct POST."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.browser.conftest import login
from tests.browser.test_direct_requests import session
from tests.conftest import ROOT, free_port, start_cockpit, write_config

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("COCKPIT_SCREENSHOTS", "screenshots"))
FIGURES = {"hazards_found": "12", "hazards_fixed": "10", "grid_patrols": "340", "petitions": "3",
           "disputes_resolved": "2"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`cockpit demo` with a file drop (one bad row waiting) and the township form; yields (url, logins)."""
    folder = tmp_path_factory.mktemp("sources")
    port = free_port()
    config = write_config(folder, port)
    drop = folder / "drop"
    drop.mkdir()
    (drop / "events.csv").write_text("id,at\nE1,2026-03-02 08:00\nE2,2026-03-02 09:00\nE3,next tuesday\n",
                                     encoding="utf-8")
    datasets = yaml.safe_load((ROOT / "config/taizhou/datasets.yaml").read_text(encoding="utf-8"))
    extra = {
        "datasets": {"township_reports": datasets["township_reports"],
                     "events": {"name": "事件", "columns": {"id": {"type": "string", "required": True},
                                                           "at": {"type": "timestamp"}}, "primary_key": ["id"]}},
        "sources": {
            "events_drop": {"name": "事件文件交换", "kind": "file_drop", "dataset": "events", "schedule": "1h",
                            "owner": "dept_chengguan", "settings": {"path": str(drop)}},
            # due 24h: the deadline is the end of the day, so the test does not depend on the hour it runs
            "township": {"name": "乡镇一张表", "kind": "manual_form", "dataset": "township_reports",
                         "schedule": "15m", "owner": "dept_chengyun",
                         "settings": {"period": "day", "due": "24h", "within": "321202",
                                      "required": ["hazards_found", "grid_patrols"]}},
        },
    }
    text = config.read_text(encoding="utf-8").replace("\nsimulator:\n", "\nsimulator:\n  enabled: false\n", 1)
    text += "\n" + yaml.safe_dump(extra, allow_unicode=True, sort_keys=False)   # no simulated city: only our rows
    config.write_text(text, encoding="utf-8")
    proc = start_cockpit(config, port, folder, "demo")
    url = f"http://127.0.0.1:{port}"
    logins = dict(line.split("\t", 1) for line in (folder / "demo-logins.txt").read_text().splitlines())
    yield url, logins
    proc.terminate()
    proc.wait(timeout=10)


def test_operator_runs_a_source_and_reads_the_bad_rows_reason(server, visit):
    base, logins = server
    v = visit()
    login(v, base, "operator_city", logins["operator_city"])
    v.page.goto(f"{base}/sources")
    table = v.page.locator(".sources-table")
    table.wait_for()
    row = table.locator("tr", has_text="事件文件交换")
    assert "文件交换" in row.inner_text() and "城管局" in row.inner_text() and "尚未运行" in row.inner_text()
    assert "乡镇一张表" in table.inner_text() and "一张表填报" in table.inner_text()
    row.get_by_role("button", name="立即采集").click()
    assert "已开始采集" in v.page.locator("#sources-result").inner_text()
    done = v.page.locator(".sources-table tr", has_text="事件文件交换").filter(has_text="正常")
    done.wait_for(timeout=20000)
    cells = done.locator("td").all_inner_texts()
    assert cells[6].strip() == "2" and cells[7].strip() == "1"          # loaded today, quarantined today
    assert cells[8].strip() == "100.0%"                                # 及时率: its one slot delivered
    done.get_by_role("link", name="查看隔离数据").click()
    v.page.locator("#quarantine-table").wait_for()
    quarantined = v.page.locator("#quarantine-table tbody tr")
    assert quarantined.count() == 1
    text = quarantined.inner_text()
    assert "next tuesday" in text and "不是有效的" in text and "E3" in text
    SHOTS.mkdir(exist_ok=True)
    v.page.screenshot(path=str(SHOTS / "sources-operator.png"), full_page=True)
    assert v.errors == [] and v.external == []


def test_admin_sees_health_but_not_quarantined_business_data(server, visit):
    base, logins = server
    v = visit()
    login(v, base, "admin", logins["admin"])
    v.page.goto(f"{base}/sources")
    v.page.locator(".sources-table").wait_for()
    assert "事件文件交换" in v.page.inner_text(".sources-table")
    assert v.page.locator("#quarantine-source").count() == 0
    assert v.page.get_by_role("link", name="查看隔离数据").count() == 0
    v.page.goto(f"{base}/sources?source=events_drop")
    v.page.locator(".sources-table").wait_for()
    assert "next tuesday" not in v.page.inner_text("body")
    assert v.errors == []


def test_street_submits_corrects_and_the_district_sees_it(server, visit):
    base, logins = server
    v = visit()
    login(v, base, "street_chengdong", logins["street_chengdong"])
    v.page.goto(f"{base}/forms")
    v.page.locator("input[name=hazards_found]").wait_for()
    assert "城东街道" in v.page.inner_text(".page-header") and "本期尚未报送" in v.page.inner_text("#form-state")
    v.page.fill("input[name=grid_patrols]", "340")
    v.page.click("#form-submit")
    assert "请填写“安全隐患排查数(处)”" in v.page.locator("#form-result").inner_text()
    for name, value in FIGURES.items():
        v.page.fill(f"input[name={name}]", value)
    v.page.click("#form-submit")
    v.page.locator("#form-result", has_text="报送成功").wait_for()
    v.page.fill("input[name=hazards_found]", "15")
    v.page.click("#form-submit")
    v.page.locator("#form-result", has_text="已更新本期报送数据").wait_for()
    assert "截止时间前可修改" in v.page.inner_text("#form-state")
    v.page.reload()
    assert v.page.locator("input[name=hazards_found]").input_value() == "15"
    v.page.screenshot(path=str(SHOTS / "form-street.png"), full_page=True)
    assert v.errors == []

    district = visit()
    login(district, base, "operator_hailing", logins["operator_hailing"])
    district.page.goto(f"{base}/forms")
    table = district.page.locator("#reporting-table")
    table.wait_for()
    assert "按时报送" in table.locator("tr", has_text="城东街道").inner_text()
    assert "待报" in table.locator("tr", has_text="城西街道").inner_text()
    figures = district.page.inner_text("#reporting-figures")
    assert "报送率" in figures and "逾期或未报" in figures
    district.page.select_option("#reporting-period", "previous")
    district.page.locator("#reporting-table tr", has_text="城东街道").filter(has_text="逾期未报").wait_for()
    assert "0.0%" in district.page.inner_text("#reporting-figures")
    district.page.screenshot(path=str(SHOTS / "form-reporting.png"), full_page=True)
    assert district.errors == []


def _submit_payload(base: str, street: str) -> urllib.request.Request:
    fields = [{"id": {"name": k, "type": "form-field"}, "property": "value", "value": v} for k, v in FIGURES.items()]
    ids = [{"id": {"name": k, "type": "form-field"}, "property": "id", "value": {"name": k, "type": "form-field"}}
           for k in FIGURES]
    payload = {
        "output": "..form-feedback.children...form-status.children..",
        "outputs": [{"id": "form-feedback", "property": "children"}, {"id": "form-status", "property": "children"}],
        "inputs": [{"id": "form-submit", "property": "n_clicks", "value": 1}],
        "state": [{"id": "form-street", "property": "data", "value": street},
                  {"id": "form-source", "property": "data", "value": "township"}, fields, ids],
        "changedPropIds": ["form-submit.n_clicks"],
    }
    return urllib.request.Request(f"{base}/_dash-update-component", data=json.dumps(payload).encode(),
                                  headers={"Content-Type": "application/json", "Origin": base}, method="POST")


def test_a_street_cannot_submit_for_another_street_by_direct_post(server):
    base, logins = server
    opener = session(base, "street_chengxi", logins["street_chengxi"])
    with pytest.raises(urllib.error.HTTPError) as err:
        opener.open(_submit_payload(base, "321202003"), timeout=10)       # 城南街道, not theirs
    assert err.value.code == 403
    own = opener.open(_submit_payload(base, "321202002"), timeout=10).read().decode()
    assert "form-result" in own                                       # the same request for their own street works
    handler = session(base, "handler_chengguan", logins["handler_chengguan"])   # a city department: no street
    with pytest.raises(urllib.error.HTTPError) as err:
        handler.open(_submit_payload(base, "321202001"), timeout=10)
    assert err.value.code == 403
    auditor = session(base, "auditor", logins["auditor"])
    denied = auditor.open(_audit_page(base), timeout=10).read().decode()
    assert "form.submit" in denied and "area:321202003" in denied


def _audit_page(base: str) -> urllib.request.Request:
    payload = {
        "output": "page-content.children", "outputs": {"id": "page-content", "property": "children"},
        "inputs": [{"id": "url", "property": "pathname", "value": "/audit"},
                   {"id": "url", "property": "search", "value": ""}],
        "changedPropIds": ["url.pathname"], "state": [],
    }
    return urllib.request.Request(f"{base}/_dash-update-component", data=json.dumps(payload).encode(),
                                  headers={"Content-Type": "application/json", "Origin": base}, method="POST")
