"""The briefing archive over real HTTP: a district user lists and downloads only their district's and the public
city-wide briefings; direct requests for another district's files get nothing and are audited."""

from __future__ import annotations

import http.cookiejar
import io
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date

import pytest
from openpyxl import load_workbook

from cockpit.core import store as core_store
from cockpit.reports import archive
from tests.conftest import ROOT, free_port
from tests.reports.conftest import PASSWORD, make_runtime

DAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Briefings for the city, 海陵区 and 高港区 generated, then `cockpit serve` on a free loopback port."""
    folder = tmp_path_factory.mktemp("archive")
    rt = make_runtime(folder)
    ids = {area: archive.generate(rt.db, rt.config, rt.data_dir, "daily", area, DAY, rt.clock)["briefing_id"]
           for area in ("321200", "321202", "321203")}
    users = {u.user_id: u for u in core_store.users(rt.db)}
    config_path = rt.config_path
    text = config_path.read_text(encoding="utf-8").replace("port: 8050", f"port: {free_port()}")
    config_path.write_text(text, encoding="utf-8")
    port = int(re.search(r"port: (\d+)", text).group(1))
    rt.db.close()
    log = (folder / "server.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "cockpit.cli", "--config", str(config_path), "serve",
                             "--no-scheduler"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)
            break
        except (OSError, urllib.error.HTTPError):
            if proc.poll() is not None:
                raise RuntimeError((folder / "server.log").read_text()) from None
            time.sleep(0.3)
    yield base, ids, users, folder
    proc.terminate()
    proc.wait(timeout=10)


def login(base: str, user: str):
    """An HTTP client signed in through the real login form (the second factor is left pending)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form).group(1)
    opener.open(f"{base}/login", data=urllib.parse.urlencode(
        {"user_id": user, "password": PASSWORD, "csrf_token": token}).encode(), timeout=10)
    assert any(c.name == "cockpit_session" for c in jar)
    return opener


def fetch(opener, url: str) -> tuple[int, bytes, str]:
    try:
        resp = opener.open(url, timeout=30)
        return resp.status, resp.read(), resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get("Content-Type", "")


def page(opener, base: str, pathname: str) -> str:
    """The page as the router callback renders it (what a script posting directly would get)."""
    payload = {"output": "page-content.children", "outputs": {"id": "page-content", "property": "children"},
               "inputs": [{"id": "url", "property": "pathname", "value": pathname},
                          {"id": "url", "property": "search", "value": ""}],
               "changedPropIds": ["url.pathname"], "state": []}
    req = urllib.request.Request(f"{base}/_dash-update-component", data=json.dumps(payload).encode(),
                                 headers={"Content-Type": "application/json", "Origin": base}, method="POST")
    return json.dumps(json.loads(opener.open(req, timeout=60).read()), ensure_ascii=False)


def test_district_user_lists_own_district_and_public_city_briefings(server):
    base, ids, _users, _folder = server
    listed = page(login(base, "op_hailing"), base, "/briefings")
    assert ids["321202"] in listed and ids["321200"] in listed
    assert ids["321203"] not in listed
    city = page(login(base, "op_city"), base, "/briefings")
    assert all(bid in city for bid in ids.values())


def test_downloads_are_scoped_even_by_direct_request(server):
    base, ids, users, folder = server
    hailing = login(base, "op_hailing")
    status, body, ctype = fetch(hailing, f"{base}/briefings/{ids['321202']}.pdf")
    assert status == 200 and body.startswith(b"%PDF") and ctype == "application/pdf"
    status, body, _ = fetch(hailing, f"{base}/briefings/{ids['321200']}.xlsx")
    assert status == 200 and load_workbook(io.BytesIO(body)).sheetnames
    for fmt in ("pdf", "xlsx", "html", "json"):
        status, body, _ = fetch(hailing, f"{base}/briefings/{ids['321203']}.{fmt}")
        assert status == 404 and b"%PDF" not in body and "高港区".encode() not in body
    status, _, _ = fetch(hailing, f"{base}/briefings/{ids['321202']}.json")  # not an offered format
    assert status == 404
    handler = login(base, "handler_cg")  # departments read the public city-wide briefing only
    assert fetch(handler, f"{base}/briefings/{ids['321200']}.pdf")[0] == 200
    assert fetch(handler, f"{base}/briefings/{ids['321202']}.pdf")[0] == 404
    city_entry = {"area_code": "321200", "public": True}
    assert not archive.may_read(users["admin_r"], city_entry, "321200")  # no business data for administrators
    anonymous = urllib.request.build_opener()
    status, body, _ = fetch(anonymous, f"{base}/briefings/{ids['321200']}.pdf")
    assert not body.startswith(b"%PDF")
    records = [json.loads(line) for line in (folder / "audit" / "audit.log").read_text().splitlines()]
    downloads = [r for r in records if r["action"] == "briefing.download"]
    assert any(r["user"] == "op_hailing" and r["outcome"] == "denied" and ids["321203"] in r["object"]
               for r in downloads)
    assert any(r["user"] == "op_hailing" and r["outcome"] == "ok" and ids["321202"] in r["object"]
               for r in downloads)


def test_html_view_is_the_briefing_without_scripts(server):
    base, ids, _users, _folder = server
    status, body, ctype = fetch(login(base, "duty_hailing"), f"{base}/briefings/{ids['321202']}.html")
    text = body.decode()
    assert status == 200 and ctype.startswith("text/html")
    assert "泰州市城市运行管理中心" in text and "海陵区城市运行日报" in text and "2026年第326期" in text
    assert "<script" not in text


def test_rankings_page_explains_each_score(server):
    base, _ids, _users, _folder = server
    body = page(login(base, "op_hailing"), base, "/rankings")
    assert "任务按时办结率" in body and "每10万人超期任务数" in body and "样本不足" in body
    assert "score-how" in body  # every score opens to its computation
    handler_view = page(login(base, "handler_cg"), base, "/rankings")
    assert "任务按时办结率" not in handler_view  # the board is for centers and leaders


def generate_by_callback(opener, base: str, area: str) -> str:
    """POST the 生成 button's callback directly, as a script would."""
    payload = {"output": "..briefings-feedback.children...briefings-table.children..",
               "outputs": [{"id": "briefings-feedback", "property": "children"},
                           {"id": "briefings-table", "property": "children"}],
               "inputs": [{"id": "briefings-new-submit", "property": "n_clicks", "value": 1}],
               "changedPropIds": ["briefings-new-submit.n_clicks"],
               "state": [{"id": "briefings-new-kind", "property": "value", "value": "daily"},
                         {"id": "briefings-new-area", "property": "value", "value": area},
                         {"id": "briefings-new-date", "property": "date", "value": "2026-11-21"}]}
    req = urllib.request.Request(f"{base}/_dash-update-component", data=json.dumps(payload).encode(),
                                 headers={"Content-Type": "application/json", "Origin": base}, method="POST")
    try:
        body = opener.open(req, timeout=120).read()
    except urllib.error.HTTPError as exc:
        body = exc.read()
    return json.dumps(json.loads(body), ensure_ascii=False)


def test_generation_on_demand_is_scoped(server):
    base, _ids, _users, _folder = server
    hailing = login(base, "op_hailing")
    refused = generate_by_callback(hailing, base, "321203")  # another district, by direct request
    assert "您无权生成该区域的简报" in refused and "daily-321203-20261121" not in refused
    made = generate_by_callback(hailing, base, "321202")
    assert "简报已生成：第325期" in made and "daily-321202-20261121" in made
    duty = generate_by_callback(login(base, "duty_hailing"), base, "321202")  # duty officers read, not generate
    assert '"error"' in duty and "briefings-table" not in duty
