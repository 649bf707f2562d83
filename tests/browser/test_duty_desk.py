"""The duty desk (值班台) in Chromium: a district duty officer sees, acknowledges and silences their own
district's warnings, dispatches a plan's proposal with one dialog, and can do nothing to another district's
warning — not in the page, not by posting to /_dash-update-component."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest

from alerts import evaluate
from cockpit import bootstrap
from cockpit.demo.accounts import seed_accounts
from tests.alerts.conftest import put_values
from tests.browser.conftest import login
from tests.browser.test_direct_requests import session
from tests.conftest import ROOT, free_port, start_cockpit, write_config

pytestmark = pytest.mark.browser
HAILING, JIANGYAN = "321202", "321204"


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """`cockpit serve` (no scheduler) over a database where AQI has been orange for 4 hours in 海陵区 and 姜堰区."""
    folder = tmp_path_factory.mktemp("duty")
    port = free_port()
    config = write_config(folder, port, core_only=False)
    rt = bootstrap.open_runtime(config)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    for area in (HAILING, JIANGYAN):
        put_values(rt.db, "env.aqi", "hour", area, {now - timedelta(hours=h): 330.0 for h in range(5)})
    evaluate.evaluate(rt.db, rt.config, now - timedelta(hours=3, minutes=50))
    evaluate.evaluate(rt.db, rt.config, now - timedelta(minutes=1))
    ids = {r[1]: r[0] for r in rt.db.rows("select warning_id, area_code from warnings where state = 'firing'")}
    seed_accounts(rt.db, folder / "demo-logins.txt")
    rt.db.close()
    logins = dict(line.split("\t", 1) for line in (folder / "demo-logins.txt").read_text().splitlines())
    proc = start_cockpit(config, port, folder, "serve", "--no-scheduler")
    yield f"http://127.0.0.1:{port}", logins, ids
    proc.terminate()
    proc.wait(timeout=10)


def test_queue_is_scoped_and_header_counts_by_level(desk, visit):
    base, logins, ids = desk
    v = visit()
    login(v, base, "duty_hailing", logins["duty_hailing"])
    v.page.goto(f"{base}/duty")
    v.page.wait_for_selector(".warning-queue")
    rows = v.page.locator(".warning-row")
    assert [rows.nth(i).get_attribute("data-warning") for i in range(rows.count())] == [ids[HAILING]]
    assert "持续2小时高于阈值" in rows.first.inner_text()
    assert v.page.locator(".warning-count[data-level=orange]").inner_text() == "1"
    v.page.screenshot(path=str(ROOT / "screenshots" / "duty-queue.png"), full_page=True)
    assert not v.errors and not v.external


def test_acknowledge_with_comment_and_silence(desk, visit):
    base, logins, ids = desk
    v = visit()
    login(v, base, "duty_hailing", logins["duty_hailing"])
    v.page.goto(f"{base}/duty?warning={ids[HAILING]}")
    v.page.fill("#duty-ack-comment", "已通知生态环境局加密监测")
    v.page.click("#duty-ack")
    v.page.wait_for_selector(".action-done")
    timeline = v.page.locator("#warning-timeline").inner_text()
    assert "确认" in timeline and "已通知生态环境局加密监测" in timeline
    v.page.fill("#duty-silence-reason", "监测站校准")
    v.page.click("#duty-silence")
    v.page.locator(".action-done", has_text="静默").wait_for()
    v.page.goto(f"{base}/duty")
    v.page.wait_for_selector(".warning-row")
    assert "已静默" in v.page.locator(".warning-row").first.inner_text()
    silence = v.page.locator(".silence-item").first.inner_text()
    assert "duty_hailing" in silence and "监测站校准" in silence and "已屏蔽 0 次" in silence
    assert not v.errors and not v.external


def test_plan_proposal_is_dispatched_from_the_dialog(desk, visit):
    base, logins, ids = desk
    v = visit()
    login(v, base, "duty_hailing", logins["duty_hailing"])
    v.page.goto(f"{base}/duty?warning={ids[HAILING]}")
    proposal = v.page.locator(".proposal-row").first
    assert "加密监测" in proposal.inner_text()
    proposal.locator(".dispatch-open").click()
    v.page.wait_for_selector(".modal.show .dd-title")
    assert v.page.input_value(".modal.show .dd-unit") == "dept_shengtai"
    v.page.click(".modal.show .dispatch-send")
    v.page.wait_for_selector(".modal.show .dispatch-done")
    task_id = v.page.get_attribute(".modal.show .dispatch-done", "data-task")
    v.page.goto(f"{base}/duty?warning={ids[HAILING]}")
    link = v.page.locator(".proposal-row .task-link").first
    assert link.inner_text().strip() == task_id and link.get_attribute("href") == f"/tasks?id={task_id}"
    assert "启动" in v.page.locator(".plan-record").first.inner_text()
    assert not v.errors and not v.external


def test_other_district_cannot_see_or_acknowledge_even_by_direct_post(desk, visit):
    base, logins, ids = desk
    v = visit()
    login(v, base, "duty_jiangyan", logins["duty_jiangyan"])
    v.page.goto(f"{base}/duty?warning={ids[HAILING]}")
    v.page.wait_for_selector("#warning-missing")
    opener = session(base, "duty_jiangyan", logins["duty_jiangyan"])
    payload = {
        "output": "..duty-detail.children...duty-flash.children..",
        "outputs": [{"id": "duty-detail", "property": "children"}, {"id": "duty-flash", "property": "children"}],
        "inputs": [{"id": "duty-ack", "property": "n_clicks", "value": 1},
                   {"id": "duty-silence", "property": "n_clicks", "value": None},
                   [{"id": {"type": "duty-plan-act", "index": "x|start"}, "property": "n_clicks", "value": None}]],
        "state": [{"id": "duty-warning", "property": "data", "value": ids[HAILING]},
                  {"id": "duty-ack-comment", "property": "value", "value": "越权确认"},
                  {"id": "duty-silence-reason", "property": "value", "value": None},
                  {"id": "duty-silence-hours", "property": "value", "value": "2"}],
        "changedPropIds": ["duty-ack.n_clicks"],
    }
    req = urllib.request.Request(f"{base}/_dash-update-component", data=json.dumps(payload).encode(),
                                 headers={"Content-Type": "application/json", "Origin": base}, method="POST")
    body = json.dumps(json.loads(opener.open(req, timeout=10).read().decode()), ensure_ascii=False)
    assert "未找到该预警" in body and "duty-detail" not in body
    v.page.goto(f"{base}/duty")                               # nor did it change: 姜堰区 sees only its own warning
    v.page.wait_for_selector(".warning-row")
    assert [v.page.locator(".warning-row").nth(i).get_attribute("data-warning")
            for i in range(v.page.locator(".warning-row").count())] == [ids[JIANGYAN]]
    assert not v.errors and not v.external


def test_city_operator_replays_history_with_proposed_levels(desk, visit):
    base, logins, _ids = desk
    v = visit()
    login(v, base, "operator_city", logins["operator_city"])
    v.page.goto(f"{base}/duty")
    v.page.click("#duty-tune-indicator")
    v.page.keyboard.type("空气质量指数")
    v.page.keyboard.press("Enter")
    v.page.fill("#duty-tune-days", "1")
    v.page.fill("#duty-tune-levels", "orange.above=400")
    v.page.click("#duty-tune-run")
    v.page.wait_for_selector(".backtest-table")
    assert int(v.page.inner_text(".backtest-current .bt-warnings")) >= 2      # 海陵区 and 姜堰区 went orange
    assert "橙色" not in v.page.inner_text(".backtest-proposed")
    assert not v.errors and not v.external
