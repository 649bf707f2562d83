"""The closed loop without a warning, as three people do it in real Chromium: a duty officer dispatches a manual
task from the board, the handler on a phone accepts, reports 50 % with a photo and submits, the officer sends it back
once, the handler submits again, the officer verifies and closes; the timeline shows every step."""

from __future__ import annotations

import urllib.request

import pytest

from tests.browser.conftest import login
from tests.browser.tasks_helpers import dispatch_from_board, do_action, png_photo
from tests.browser.test_direct_requests import render, session

pytestmark = pytest.mark.browser

XSS_TITLE = '河道漂浮物清理 <img src=x onerror="window.__xss=1">'
XSS_FILE = '<img src=x onerror="window.__xss=2">现场.png'


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_manual_task_loop_from_board_to_phone_and_back(live_server, visit):
    base, logins = live_server
    officer = visit()
    login(officer, base, "duty_city", logins["duty_city"])
    task_id = dispatch_from_board(officer, base, "dept_shengtai", XSS_TITLE, "请今天内清理凤凰河漂浮物并反馈", clicks=2)
    assert task_id and task_id.startswith("RW")
    officer.page.goto(f"{base}/tasks")
    officer.page.wait_for_selector(f".board-card[data-task='{task_id}']")
    assert officer.page.locator(".board-card", has_text="河道漂浮物清理").count() == 1  # the double click made one

    phone = visit(390, 844)
    login(phone, base, "handler_shengtai", logins["handler_shengtai"])
    assert phone.page.url == f"{base}/my-tasks"
    phone.page.click(f".my-task[data-task='{task_id}']")
    phone.page.wait_for_selector("#task-title")
    assert no_horizontal_scroll(phone.page)
    do_action(phone, "accept")
    do_action(phone, "report", note="已安排保洁船作业", progress=50,
              files=[{"name": XSS_FILE, "mimeType": "image/png", "buffer": png_photo()}])
    assert "50%" in phone.page.inner_text(".task-progress")
    link = phone.page.locator(".tl-file").first
    assert link.inner_text().endswith("现场.png") and "<" not in link.inner_text()  # the stored name is made safe
    do_action(phone, "submit", note="漂浮物已清理完毕")
    assert no_horizontal_scroll(phone.page)
    phone.page.screenshot(path="screenshots/task-phone.png", full_page=True)

    officer.page.goto(f"{base}/tasks?id={task_id}")
    officer.page.wait_for_selector("#task-title")
    assert "<img" in officer.page.inner_text("#task-title")
    do_action(officer, "return", note="请补充清理后的照片")

    phone.page.reload()
    do_action(phone, "submit", note="已补充照片，见进度记录")

    officer.page.reload()
    do_action(officer, "verify", note="现场核查属实")
    do_action(officer, "close")
    assert "已办结" in officer.page.inner_text(".task-badges")
    steps = officer.page.locator(".tl-item").evaluate_all("items => items.map(i => i.dataset.action)")
    assert steps == ["dispatch", "accept", "report", "submit", "return", "submit", "verify", "close"]
    timeline = officer.page.inner_text("#task-timeline")
    for who in ("市值班员 刘洋", "生态环境局 杨帆"):
        assert who in timeline
    for note in ("已安排保洁船作业", "请补充清理后的照片", "现场核查属实"):
        assert note in timeline
    officer.page.screenshot(path="screenshots/task-detail.png", full_page=True)

    # The photo is served to those who may see the task, as an image, never as a page.
    href = officer.page.get_attribute(".tl-file", "href")
    opener = session(base, "handler_shengtai", logins["handler_shengtai"])
    resp = opener.open(urllib.request.Request(f"{base}{href}"), timeout=10)
    assert resp.headers["Content-Type"] == "image/png" and resp.read() == png_photo()
    assert "sandbox" in resp.headers["Content-Security-Policy"]
    assert "task.attachment" in render(session(base, "auditor", logins["auditor"]), base, "/audit")

    for v in (officer, phone):
        assert v.page.evaluate("window.__xss") is None
        assert v.errors == [] and v.external == []
