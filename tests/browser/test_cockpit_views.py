"""The cockpit views in real Chromium, on a server with evaluated figures: the right area for each role,
drill-down city → district → street, tile → domain → indicator, pins that survive a new session, topics from
configuration, the big screen without scrollbars, the phone without sideways scrolling, and area scope held on
the server for pages, callbacks and downloads.

Screenshots go to $COCKPIT_DOC_SHOTS (docs/screenshots when making the README's pictures) or a temp folder."""

from __future__ import annotations

import io
import json
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.cockpit_server import CockpitServer
from tests.browser.conftest import login
from tests.browser.test_direct_requests import render, session

pytestmark = pytest.mark.browser

OTHER_DISTRICT = "321203"  # 高港区, outside 海陵区's scope


@pytest.fixture(scope="module")
def cockpit(tmp_path_factory):
    server = CockpitServer(tmp_path_factory.mktemp("cockpit"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("COCKPIT_DOC_SHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_as(visit, server: CockpitServer, user: str, path: str, width: int = 1440, height: int = 900):
    v = visit(width, height)
    v.page.set_default_timeout(60_000)  # the suite shares two CPUs with the other rooms' tests
    login(v, server.url, user, server.logins[user])
    if path:
        v.page.goto(server.url + path)
    v.page.wait_for_selector(".page-title, #screen")
    v.page.wait_for_load_state("networkidle")
    return v


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_leader_cockpit_shows_every_domain_with_units_times_and_honest_gaps(cockpit, visit, shots):
    v = open_as(visit, cockpit, "leader_mayor", "")
    page = v.page
    assert page.url.endswith("/cockpit")
    assert "泰州市城市运行驾驶舱" in page.inner_text(".page-title")
    index = page.inner_text("#vital-index")
    assert "分" in index and "数据时间" in index and "同比" in index and "环比" in index
    tiles = page.locator("#domain-tiles .tile")
    assert tiles.count() >= 10
    for i in range(tiles.count()):
        t = tiles.nth(i)
        text, state = t.inner_text(), t.get_attribute("data-state")
        if state == "missing":
            assert "暂无数据" in text and "—" in text
        else:
            assert "数据时间" in text or "数据滞后" in text
    business = page.locator("#domain-tiles .tile[data-indicator='biz.new_entities']")
    assert business.get_attribute("data-state") == "missing"  # no rows: missing, never 0
    assert "0 户" not in business.inner_text()
    stale = page.locator("#domain-tiles .tile[data-state='stale']")
    assert stale.count() >= 1 and "数据滞后" in stale.first.inner_text()
    assert page.locator("#ranking .rank-row").count() == 6
    assert "未处置预警" in page.inner_text(".warnings-panel")
    assert "今日派单" in page.inner_text("#task-figures")
    frame = page.frame_locator("iframe.map-frame")
    frame.locator(".leaflet-interactive").first.wait_for()
    page.screenshot(path=str(shots / "cockpit-desktop.png"), full_page=True)
    assert v.errors == [] and v.external == []


def test_drill_down_city_district_street_and_back_by_breadcrumb(cockpit, visit, shots):
    v = open_as(visit, cockpit, "leader_mayor", "")
    page = v.page
    first = page.locator("#ranking .rank-row").first
    name = first.locator(".rank-name").inner_text()
    code = first.get_attribute("data-area")
    first.locator("a").click()
    page.wait_for_url(f"**/district?area={code}")
    page.wait_for_selector("#ranking")
    assert name in page.inner_text(".page-title")
    assert "街道(乡镇)晾晒台" in page.inner_text(".ranking-panel")
    page.screenshot(path=str(shots / "district-desktop.png"), full_page=True)
    street = page.locator("#ranking .rank-row").first
    street_code, street_name = street.get_attribute("data-area"), street.locator(".rank-name").inner_text()
    street.locator("a").click()
    page.wait_for_url(f"**/district?area={street_code}")
    page.wait_for_selector(".breadcrumb")
    crumbs = page.locator(".breadcrumb-item").all_inner_texts()
    assert crumbs == ["泰州市", name, street_name]
    page.locator(".breadcrumb-item a", has_text="泰州市").click()
    page.wait_for_url("**/cockpit")
    assert v.errors == []


def test_tile_opens_domain_then_indicator_with_trend_breakdown_and_excel(cockpit, visit, shots):
    v = open_as(visit, cockpit, "leader_mayor", "")
    page = v.page
    page.locator("#domain-tiles .tile[data-indicator='hotline.ontime_rate']").click()
    page.wait_for_url("**/domain?id=*")
    page.wait_for_selector("#domain-indicators .tile")
    assert page.locator("#domain-indicators .tile").count() == 11  # every 12345 indicator
    page.screenshot(path=str(shots / "domain-desktop.png"), full_page=True)
    page.locator("#domain-indicators .tile[data-indicator='hotline.ontime_rate']").click()
    page.wait_for_url("**/indicator?id=hotline.ontime_rate*")
    page.wait_for_selector("#indicator-trend .main-svg")
    assert page.locator("#breakdown-table tbody tr").count() == 6
    facts = page.inner_text(".facts-table:not(.compact)")
    assert "国办发" in facts and "红色 < 95" in facts and "12345热线工单" in facts
    assert "上期" in page.inner_text("#comparison-table")
    page.screenshot(path=str(shots / "indicator-desktop.png"), full_page=True)
    with page.expect_download() as dl:
        page.click("#indicator-export")
    book = load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
    assert book.sheetnames == ["趋势", "分区域", "口径"]
    split = list(book["分区域"].iter_rows(min_row=2, values_only=True))
    assert len(split) == 6 and all(r[0].startswith("3212") for r in split)
    assert v.errors == []


def test_pinned_indicator_and_tile_order_survive_logout_and_login(cockpit, visit):
    v = open_as(visit, cockpit, "leader_vice", "/indicator?id=env.pm25&area=321200")
    page = v.page
    page.click("#indicator-pin")
    expect(page.locator("#indicator-pin")).to_contain_text("取消固定")
    page.click("#user-menu")
    page.click("#logout-button")
    page.wait_for_url("**/login*")
    login(v, cockpit.url, "leader_vice", cockpit.logins["leader_vice"])
    page.wait_for_selector("#pinned-tiles")
    assert page.locator("#pinned-tiles .tile[data-indicator='env.pm25']").count() == 1
    assert v.errors == []


def test_personalised_default_view_and_order(cockpit, visit):
    v = open_as(visit, cockpit, "leader_vice", "/my-cockpit")
    page = v.page
    page.locator("#prefs-default input[value='/screen']").check()
    page.click("#prefs-save")
    expect(page.locator("#prefs-saved")).to_contain_text("已保存")
    v2 = visit()
    login(v2, cockpit.url, "leader_vice", cockpit.logins["leader_vice"])
    assert v2.page.url.endswith("/screen")
    v.page.locator("#prefs-default input[value='/cockpit']").check()
    v.page.click("#prefs-save")


def test_catalog_lists_every_indicator_with_definition_owner_and_value(cockpit, visit, shots):
    v = open_as(visit, cockpit, "operator_city", "/indicators")
    page = v.page
    assert page.locator(".catalog-table tbody tr").count() == 59
    row = page.locator("tr[data-indicator='hotline.ontime_rate']").inner_text()
    assert "政务服务" in row and "%" in row and "红色" in row
    assert "暂无数据" in page.locator("tr[data-indicator='biz.new_entities']").inner_text()
    page.screenshot(path=str(shots / "catalog-desktop.png"))
    assert v.errors == []


def test_topics_come_from_configuration_and_a_new_one_appears_after_restart(cockpit, visit, shots):
    v = open_as(visit, cockpit, "leader_mayor", "/topics")
    titles = v.page.locator(".topic-title").all_inner_texts()
    for t in ["防汛防台", "大气污染防治", "12345 民生诉求", "重大活动保障", "营商环境"]:
        assert t in titles
    v.page.goto(cockpit.url + "/topic?id=major_event")
    v.page.wait_for_selector(".topic-section .tile")
    body = v.page.inner_text("#live-body")
    assert all(s in body for s in ["交通出行", "医疗卫生", "安全保卫", "接待服务"])
    v.page.screenshot(path=str(shots / "topic-desktop.png"), full_page=True)
    text = cockpit.layouts_file.read_text(encoding="utf-8")
    new = ("  drought:\n    title: 抗旱保供水\n    description: 测试专题\n"
           "    indicators: [emergency.rain_total, env.aqi]\n")
    cockpit.layouts_file.write_text(text.replace("topics:\n", "topics:\n" + new, 1), encoding="utf-8")
    try:
        cockpit.restart()
        v = open_as(visit, cockpit, "leader_mayor", "/topics")
        assert "抗旱保供水" in v.page.locator(".topic-title").all_inner_texts()
        v.page.click("a[data-topic='drought']")
        v.page.wait_for_selector(".topic-section .tile")
        assert v.page.locator(".tile[data-indicator='env.aqi']").count() == 1
    finally:
        cockpit.layouts_file.write_text(text, encoding="utf-8")
        cockpit.restart()


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (3840, 2160)])
def test_big_screen_fills_the_wall_without_scrollbars_and_rotates(cockpit, visit, shots, width, height):
    v = open_as(visit, cockpit, "leader_mayor", "/screen", width, height)
    page = v.page
    page.wait_for_selector("#screen .tile")
    page.wait_for_timeout(800)
    size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight,"
                         " window.innerWidth, window.innerHeight]")
    assert size[0] <= size[2] and size[1] <= size[3], size
    assert page.is_visible("#screen-clock") and page.is_visible("#screen-freshness")
    assert "数据更新于" in page.inner_text("#screen-freshness")
    clock = page.inner_text("#screen-clock")
    assert clock
    page.screenshot(path=str(shots / f"screen-{width}x{height}.png"))
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
    first = page.inner_text("#screen-view-title")
    expect(page.locator("#screen-view-title")).not_to_have_text(first, timeout=60_000)
    page.wait_for_selector("#screen .screen-topic")
    assert page.inner_text("#screen-clock") != clock
    size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight,"
                         " window.innerWidth, window.innerHeight]")
    assert size[0] <= size[2] and size[1] <= size[3], size
    page.screenshot(path=str(shots / f"screen-topic-{width}x{height}.png"))
    assert v.errors == [] and v.external == []


def test_phone_width_has_no_horizontal_scroll(cockpit, visit, shots):
    v = open_as(visit, cockpit, "leader_mayor", "", 390, 844)
    assert no_horizontal_scroll(v.page)
    v.page.screenshot(path=str(shots / "cockpit-phone.png"), full_page=True)
    for path in ["/indicator?id=hotline.ontime_rate&area=321200", "/topic?id=air", "/indicators"]:
        v.page.goto(cockpit.url + path)
        v.page.wait_for_selector(".page-title")
        v.page.wait_for_load_state("networkidle")
        assert no_horizontal_scroll(v.page), path
        if path.startswith("/indicator?"):
            v.page.screenshot(path=str(shots / "indicator-phone.png"), full_page=True)
    assert v.errors == []


def test_district_user_sees_only_their_district_through_pages(cockpit, visit):
    v = open_as(visit, cockpit, "operator_hailing", "")
    page = v.page
    assert "海陵区" in page.inner_text(".page-title")
    assert all(c.startswith("321202") for c in
               page.locator("#ranking .rank-row").evaluate_all("rs => rs.map(r => r.dataset.area)"))
    for path in [f"/district?area={OTHER_DISTRICT}", f"/indicator?id=hotline.ontime_rate&area={OTHER_DISTRICT}",
                 f"/domain?id=12345热线&area={OTHER_DISTRICT}", f"/topic?id=air&area={OTHER_DISTRICT}",
                 "/district?area=321200"]:
        page.goto(cockpit.url + path)
        page.wait_for_selector("#access-denied")
    map_html = urllib.request.Request(f"{cockpit.url}/maps/districts?area=321200")
    opener = session(cockpit.url, "operator_hailing", cockpit.logins["operator_hailing"])
    text = opener.open(map_html, timeout=10).read().decode()
    assert "高港区 ·" not in text and "海陵区 ·" in text  # names of other districts, never their figures


def _post(opener, base: str, output: str, inputs: list, state: list) -> tuple[int, str]:
    body = {"output": output, "outputs": {"id": output.split(".")[0], "property": output.split(".")[1]},
            "inputs": inputs, "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"], "state": state}
    req = urllib.request.Request(f"{base}/_dash-update-component", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", "Origin": base}, method="POST")
    try:
        with opener.open(req, timeout=15) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_district_user_is_refused_other_districts_by_direct_callbacks_and_download(cockpit):
    base = cockpit.url
    opener = session(base, "operator_hailing", cockpit.logins["operator_hailing"])
    assert "access-denied" in render(opener, base, "/district", f"?area={OTHER_DISTRICT}")
    ref = {"id": "hotline.ontime_rate", "area": OTHER_DISTRICT}
    status, body = _post(opener, base, "indicator-download.data",
                         [{"id": "indicator-export", "property": "n_clicks", "value": 1}],
                         [{"id": "indicator-ref", "property": "data", "value": ref}])
    assert status == 403 and "content" not in body
    status, body = _post(opener, base, "live-body.children",
                         [{"id": "data-version", "property": "data", "value": "x"}],
                         [{"id": "live-view", "property": "data",
                           "value": {"path": "/district", "params": {"area": OTHER_DISTRICT}}}])
    assert status == 403 and "tile" not in body
    status, body = _post(opener, base, "catalog-table.children",
                         [{"id": "catalog-area", "property": "value", "value": OTHER_DISTRICT}], [])
    assert status == 403 and "data-indicator" not in body
    # their own district through the same callbacks works
    status, body = _post(opener, base, "indicator-download.data",
                         [{"id": "indicator-export", "property": "n_clicks", "value": 1}],
                         [{"id": "indicator-ref", "property": "data",
                           "value": {"id": "hotline.ontime_rate", "area": "321202"}}])
    assert status == 200 and ".xlsx" in body
    auditor = session(base, "auditor", cockpit.logins["auditor"])
    log = render(auditor, base, "/audit")
    assert "export.indicator" in log and "access.area" in log
