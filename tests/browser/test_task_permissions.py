"""Task permissions at the HTTP surface: a handler of another unit gets nothing through the page, a direct callback
POST or an attachment URL (IDOR); a district operator cannot dispatch outside their area; a leader's instruction
becomes a task; the statistics workbook is formula-safe and audited."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request

import pytest

from tests.browser.conftest import login
from tests.browser.tasks_helpers import dispatch_from_board, do_action, png_photo
from tests.browser.test_direct_requests import render, session

pytestmark = pytest.mark.browser

SECRET_TITLE = "生态环境局内部核查事项"


def page_text(opener, base: str, pathname: str, search: str = "") -> str:
    """The router's response for a page, with its JSON unescaped (Chinese as written)."""
    return json.dumps(json.loads(render(opener, base, pathname, search)), ensure_ascii=False)


def post(opener, base: str, payload: dict) -> tuple[int, str]:
    """POST a Dash callback request as a script would; (status, body)."""
    req = urllib.request.Request(f"{base}/_dash-update-component", data=json.dumps(payload).encode(),
                                 headers={"Content-Type": "application/json", "Origin": base}, method="POST")
    try:
        resp = opener.open(req, timeout=10)
        return resp.status, json.dumps(json.loads(resp.read()), ensure_ascii=False)
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def act_payload(task_id: str, action: str) -> dict:
    """The detail page's action callback, as the browser would send it for a click on `action`."""
    fields = ["td-note", "td-progress", "td-until", "td-to_unit", "td-solved", "td-satisfied", "td-street",
              "td-sub_title"]
    button = {"action": action, "type": "td-action"}
    return {
        "output": "td-box.children", "outputs": {"id": "td-box", "property": "children"},
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "changedPropIds": [json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"],
        "state": [{"id": "td-task", "property": "data", "value": {"task_id": task_id, "compact": True}},
                  *({"id": f, "property": "value", "value": "50" if f == "td-progress" else None} for f in fields),
                  {"id": "td-upload", "property": "contents", "value": None},
                  {"id": "td-upload", "property": "filename", "value": None}],
    }


def dispatch_payload(context: str, key: str, unit: str, area: str, title: str) -> dict:
    """The dispatch dialog's send callback for the dialog `key`."""
    def pid(kind):
        return {"key": key, "type": kind}

    values = {"dd-unit": unit, "dd-area": area, "dd-title": title, "dd-body": "", "dd-priority": "normal",
              "dd-accept": None, "dd-finish": None}
    return {
        "output": '{"key":["MATCH"],"type":"dd-result"}.children',
        "outputs": {"id": pid("dd-result"), "property": "children"},
        "inputs": [{"id": pid("dd-submit"), "property": "n_clicks", "value": 1}],
        "changedPropIds": [json.dumps(pid("dd-submit"), separators=(",", ":"), sort_keys=True) + ".n_clicks"],
        "state": [{"id": pid("dd-context"), "property": "children", "value": context},
                  *({"id": pid(k), "property": "value", "value": v} for k, v in values.items())],
    }


def signed_context(opener, base: str) -> str:
    """The signed dispatch context of the board's dialog, as rendered for this user."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props") or {}
            if props.get("className") == "dispatch-context":
                found.append(props["children"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(render(opener, base, "/tasks")))
    assert found
    return found[0]


@pytest.fixture(scope="module")
def evidence_task(live_server, browser):
    """A task for 生态环境局 with a photo reported by its handler: (task id, attachment path)."""
    from tests.browser.conftest import Visit

    base, logins = live_server
    officer = Visit(browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page())
    login(officer, base, "duty_city", logins["duty_city"])
    task_id = dispatch_from_board(officer, base, "dept_shengtai", SECRET_TITLE, "仅限生态环境局处理")
    handler = Visit(browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page())
    login(handler, base, "handler_shengtai", logins["handler_shengtai"])
    handler.page.goto(f"{base}/my-tasks?id={task_id}")
    do_action(handler, "accept")
    do_action(handler, "report", progress=30, note="已取样",
              files=[{"name": "取样.png", "mimeType": "image/png", "buffer": png_photo()}])
    href = handler.page.get_attribute(".tl-file", "href")
    return task_id, href


def test_another_units_handler_cannot_read_the_task_through_the_page(live_server, evidence_task):
    base, logins = live_server
    task_id, _href = evidence_task
    intruder = session(base, "handler_chengguan", logins["handler_chengguan"])
    body = page_text(intruder, base, "/my-tasks", f"?id={task_id}")
    assert "access-denied" in body and SECRET_TITLE not in body
    assert SECRET_TITLE not in page_text(intruder, base, "/my-tasks")
    owner = session(base, "handler_shengtai", logins["handler_shengtai"])
    assert SECRET_TITLE in page_text(owner, base, "/my-tasks", f"?id={task_id}")


def test_a_direct_callback_post_cannot_act_on_or_read_another_units_task(live_server, evidence_task):
    base, logins = live_server
    task_id, _href = evidence_task
    intruder = session(base, "handler_chengguan", logins["handler_chengguan"])
    for action in ("report", "submit", "accept"):
        status, body = post(intruder, base, act_payload(task_id, action))
        assert status == 403 and SECRET_TITLE not in body
    owner = session(base, "handler_shengtai", logins["handler_shengtai"])
    page = page_text(owner, base, "/my-tasks", f"?id={task_id}")
    assert "30%" in page and "已反馈" not in page  # nothing changed
    status, _body = post(intruder, base, {  # the board's callback is not for handlers at all
        "output": "..tb-columns.children...tb-counts.children..",
        "outputs": [{"id": "tb-columns", "property": "children"}, {"id": "tb-counts", "property": "children"}],
        "inputs": [{"id": f"tb-filter-{k}", "property": "value", "value": None}
                   for k in ("state", "unit", "priority", "origin", "area")]
        + [{"id": "tb-poll", "property": "n_intervals", "value": 1}],
        "changedPropIds": ["tb-poll.n_intervals"], "state": []})
    assert status == 403


def test_an_attachment_url_is_served_only_to_those_who_may_see_the_task(live_server, evidence_task):
    base, logins = live_server
    _task_id, href = evidence_task
    owner = session(base, "handler_shengtai", logins["handler_shengtai"])
    resp = owner.open(f"{base}{href}", timeout=10)
    assert resp.headers["Content-Type"] == "image/png" and resp.read() == png_photo()
    intruder = session(base, "handler_chengguan", logins["handler_chengguan"])
    with pytest.raises(urllib.error.HTTPError) as err:
        intruder.open(f"{base}{href}", timeout=10)
    assert err.value.code == 403 and b"\x89PNG" not in err.value.read()
    for probe in ("..%2F..%2Fcockpit.duckdb", "nonexistent", "%2E%2E"):
        try:  # unknown ids are 404; a path that is not an id at all falls through to the app shell
            resp = intruder.open(f"{base}/tasks/files/{probe}", timeout=10)
            assert resp.headers["Content-Type"].startswith("text/html") and b"DUCK" not in resp.read()
        except urllib.error.HTTPError as err:
            assert err.code == 404
    anonymous = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    resp = anonymous.open(f"{base}{href}", timeout=10)
    assert "/login" in resp.url and b"\x89PNG" not in resp.read()


def test_a_district_operator_cannot_dispatch_outside_their_area(live_server):
    base, logins = live_server
    operator = session(base, "operator_hailing", logins["operator_hailing"])
    page = page_text(operator, base, "/tasks")
    assert "321202" in page and "(321203)" not in page  # the dialog offers only their own areas
    context = signed_context(operator, base)
    status, body = post(operator, base, dispatch_payload(context, "board-manual", "dept_chengguan", "321203",
                                                         "高港区越界派单"))
    assert status == 200 and "dispatch-error" in body and "dispatch-done" not in body
    status, body = post(operator, base, dispatch_payload(context, "board-manual", "dept_chengguan", "321202",
                                                         "海陵区辖区内派单"))
    assert status == 200 and "dispatch-done" in body
    forged = context.replace('"origin":"manual"', '"origin":"warning"')
    status, _body = post(operator, base, dispatch_payload(forged, "board-manual", "dept_chengguan", "321202",
                                                          "伪造来源"))
    assert status == 403
    auditor = session(base, "auditor", logins["auditor"])
    assert "task.dispatch" in render(auditor, base, "/audit")


def test_a_leader_instruction_becomes_a_task_for_the_unit_they_pick(live_server, visit):
    base, logins = live_server
    v = visit()
    login(v, base, "leader_mayor", logins["leader_mayor"])
    v.page.goto(f"{base}/tasks")
    v.page.click(".dispatch-open")
    v.page.wait_for_selector(".modal.show .dd-title")
    assert "领导批示" in v.page.inner_text(".modal.show .modal-title")
    v.page.select_option(".modal.show .dd-unit", "dept_jiaotong")
    v.page.fill(".modal.show .dd-title", "请研究早高峰拥堵治理措施")
    v.page.click(".modal.show .dispatch-send")
    v.page.wait_for_selector(".modal.show .dispatch-done")
    task_id = v.page.get_attribute(".modal.show .dispatch-done", "data-task")
    v.page.goto(f"{base}/tasks?id={task_id}")
    v.page.wait_for_selector("#task-title")
    assert "领导批示" in v.page.inner_text(".task-facts")
    assert v.errors == [] and v.external == []


def test_the_statistics_workbook_is_formula_safe_and_audited(live_server, visit):
    from openpyxl import load_workbook

    base, logins = live_server
    leader = session(base, "leader_mayor", logins["leader_mayor"])
    page = page_text(leader, base, "/task-stats")
    assert "task-stat-table" in page
    resp = leader.open(f"{base}/tasks/statistics.xlsx?days=30&by=unit", timeout=10)
    assert "attachment" in resp.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(resp.read())).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert cells[0].value == "单位或区域" and any(c.value == "生态环境局" for c in cells)
    assert all(c.data_type != "f" for c in cells)
    handler = session(base, "handler_shengtai", logins["handler_shengtai"])
    with pytest.raises(urllib.error.HTTPError) as err:
        handler.open(f"{base}/tasks/statistics.xlsx?days=30&by=unit", timeout=10)
    assert err.value.code == 403
    auditor = session(base, "auditor", logins["auditor"])
    assert "task.statistics.export" in render(auditor, base, "/audit")


def test_desk_actions_redispatch_extension_urge_and_reassign(live_server, visit):
    from datetime import datetime, timedelta

    base, logins = live_server
    officer = visit()
    login(officer, base, "duty_city", logins["duty_city"])
    task_id = dispatch_from_board(officer, base, "center_321202", "老旧小区积水点排查", "请分派至各街道排查")
    center = visit()
    login(center, base, "operator_hailing", logins["operator_hailing"])
    center.page.goto(f"{base}/tasks?id={task_id}")
    do_action(center, "accept")
    center.page.select_option("#td-street", "center_321202001")
    center.page.fill("#td-sub_title", "城中街道积水点排查")
    center.page.click("button[data-action='redispatch']")
    center.page.locator(".task-subtasks li", has_text="城中街道积水点排查").wait_for()
    later = (datetime.now() + timedelta(days=30)).strftime("%Y-%m-%dT17:30")
    center.page.fill("#td-until", later)
    do_action(center, "request_extension", note="街道排查需要更多时间")
    assert "延期至" in center.page.inner_text(".task-facts")

    officer.page.goto(f"{base}/tasks?id={task_id}")
    do_action(officer, "approve_extension")
    do_action(officer, "urge", note="请加快进度")
    assert "17:30" in officer.page.inner_text(".task-facts")
    assert "1 次" in officer.page.inner_text(".task-facts")
    steps = officer.page.locator(".tl-item").evaluate_all("items => items.map(i => i.dataset.action)")
    assert steps == ["dispatch", "accept", "redispatch", "request_extension", "approve_extension", "urge"]

    other = dispatch_from_board(officer, base, "dept_chengguan", "占道经营整治")
    officer.page.goto(f"{base}/tasks?id={other}")
    officer.page.wait_for_selector("#td-to_unit")
    officer.page.select_option("#td-to_unit", "dept_jiaotong")
    do_action(officer, "reassign", note="属交通部门职责")
    assert "交通局" in officer.page.inner_text(".task-facts")
    for v in (officer, center):
        assert v.errors == [] and v.external == []
