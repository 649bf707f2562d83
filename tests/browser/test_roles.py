"""Each role lands on its own home, sees only its navigation, and is refused other roles' pages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("COCKPIT_SCREENSHOTS", "screenshots"))

# role account → (home path, heading text, nav labels it must see, a page it must not open)
CASES = {
    "leader_mayor": ("/cockpit", "泰州市城市运行驾驶舱", ["领导驾驶舱", "指挥分中心"], "/audit"),
    "operator_hailing": ("/district", "海陵区城市运行指挥分中心", ["指挥分中心", "值班台"], "/cockpit"),
    "duty_city": ("/duty", "值班台", ["值班台", "指挥分中心"], "/admin"),
    "handler_chengguan": ("/my-tasks", "我的任务", ["我的任务"], "/duty"),
    "admin": ("/admin", "系统管理", ["系统管理"], "/audit"),
    "auditor": ("/audit", "审计日志", ["审计日志"], "/cockpit"),
}
ALL_NAV = {"领导驾驶舱", "指挥分中心", "值班台", "我的任务", "系统管理", "审计日志"}


@pytest.mark.parametrize("account", CASES)
def test_role_home_navigation_and_refusal(live_server, visit, account):
    base, logins = live_server
    home, heading, nav, forbidden_path = CASES[account]
    v = visit()
    login(v, base, account, logins[account])
    assert v.page.url == f"{base}{home}"
    v.page.wait_for_selector(".page-title")
    assert heading in v.page.inner_text(".page-title")
    shown = set(v.page.locator("#main-nav a").all_inner_texts())
    shown = {t.strip() for t in shown}
    assert set(nav) <= shown and not (ALL_NAV - set(nav)) & shown
    SHOTS.mkdir(exist_ok=True)
    v.page.screenshot(path=str(SHOTS / f"home-{account}.png"), full_page=True)
    assert v.external == [] and v.errors == []
    response = v.page.goto(f"{base}{forbidden_path}")
    assert response.status == 403
    assert "无权访问" in v.page.inner_text("body")
    assert v.external == []


def test_login_page_offline_and_wrong_password(live_server, visit):
    base, _ = live_server
    v = visit()
    v.page.goto(f"{base}/cockpit")
    assert "/login" in v.page.url and "城市运行驾驶舱" in v.page.inner_text("body")
    SHOTS.mkdir(exist_ok=True)
    v.page.screenshot(path=str(SHOTS / "login.png"))
    v.page.fill("#user_id", "leader_mayor")
    v.page.fill("#password", "wrong-password")
    v.page.click("#login-submit")
    assert "用户名或密码错误" in v.page.inner_text(".alert")
    assert v.external == []


def test_every_page_loads_nothing_from_outside_loopback(live_server, visit):
    base, logins = live_server
    for account, (home, *_rest) in CASES.items():
        v = visit()
        login(v, base, account, logins[account])
        v.page.wait_for_selector(".page-title")
        if home in ("/cockpit", "/district"):
            v.page.wait_for_selector("iframe.map-frame")
            frame = v.page.frame_locator("iframe.map-frame")
            frame.locator(".leaflet-interactive").first.wait_for()
        v.page.wait_for_load_state("networkidle")
        assert v.external == [], f"{account}: {v.external}"
        assert v.errors == [], f"{account}: {v.errors}"


def test_callbacks_refuse_anonymous_requests(live_server):
    import urllib.error
    import urllib.request

    base, _ = live_server
    req = urllib.request.Request(f"{base}/_dash-update-component", data=b"{}", method="POST",
                                 headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 401


def test_handler_home_fits_a_phone(live_server, visit):
    base, logins = live_server
    v = visit(width=390, height=844)
    login(v, base, "handler_chengguan", logins["handler_chengguan"])
    v.page.wait_for_selector(".page-title")
    overflow = v.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    v.page.screenshot(path=str(SHOTS / "phone-handler.png"), full_page=True)


def test_clicking_a_district_on_the_map_drills_down(live_server, visit):
    base, logins = live_server
    v = visit()
    login(v, base, "leader_mayor", logins["leader_mayor"])
    frame = v.page.frame_locator("iframe.map-frame")
    frame.locator("path.leaflet-interactive").first.wait_for()
    paths = frame.locator("path.leaflet-interactive")
    # click the largest district polygon: 兴化市 in the north is large enough to hit at its centre
    boxes = [paths.nth(i).bounding_box() for i in range(paths.count())]
    biggest = max(range(len(boxes)), key=lambda i: boxes[i]["width"] * boxes[i]["height"])
    paths.nth(biggest).click()
    v.page.wait_for_url("**/district?area=*")
    v.page.wait_for_selector(".breadcrumb")
    assert "泰州市" in v.page.inner_text(".breadcrumb")
    assert v.errors == []


def test_admin_creates_disables_and_cannot_touch_own_rights(live_server, visit):
    base, logins = live_server
    v = visit()
    login(v, base, "admin", logins["admin"])
    v.page.fill("#admin-new-id", "duty_gaogang")
    v.page.fill("#admin-new-name", "高港区值班员 何平")
    v.page.select_option("#admin-new-role", "duty_officer")
    v.page.select_option("#admin-new-area", "321203")
    v.page.click("#admin-new-submit")
    v.page.wait_for_selector("#admin-result")
    assert "账号 duty_gaogang 已创建" in v.page.inner_text("#admin-result")
    row = v.page.locator("#user-table tr", has_text="duty_gaogang")
    assert "高港区" in row.inner_text() and "正常" in row.inner_text()
    row.get_by_role("button", name="停用").click()
    v.page.locator("#user-table tr", has_text="duty_gaogang").filter(has_text="已停用").wait_for()
    own = v.page.locator("#user-table tr", has_text="系统管理员").first
    assert own.get_by_role("button").count() == 0  # no actions on one's own account
    v.page.screenshot(path=str(SHOTS / "admin-accounts.png"), full_page=True)
    assert v.errors == []
