"""Callbacks and routes are public HTTP endpoints: a lower-privileged user posting directly gets nothing."""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.browser.conftest import TOTP_SECRETS, fresh_totp

pytestmark = pytest.mark.browser


def session(base: str, user: str, password: str) -> urllib.request.OpenerDirector:
    """An HTTP client logged in through the real login form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form).group(1)
    data = urllib.parse.urlencode({"user_id": user, "password": password, "csrf_token": token}).encode()
    page = opener.open(f"{base}/login", data=data, timeout=10)
    if page.url.endswith("/login/totp"):
        html = page.read().decode()
        secret = TOTP_SECRETS.get((base, user)) or re.search(r'id="totp-secret">([A-Z2-7]+)<', html).group(1)
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html).group(1)
        data = urllib.parse.urlencode({"code": fresh_totp(base, user, secret), "csrf_token": token}).encode()
        opener.open(f"{base}/login/totp", data=data, timeout=10)
    assert any(c.name == "cockpit_session" for c in jar)
    return opener


def render(opener, base: str, pathname: str, search: str = "") -> str:
    """POST the router callback directly, as a script would, and return the response body as readable text
    (Dash escapes `/` and every non-ASCII character in its JSON)."""
    payload = {
        "output": "page-content.children",
        "outputs": {"id": "page-content", "property": "children"},
        "inputs": [{"id": "url", "property": "pathname", "value": pathname},
                   {"id": "url", "property": "search", "value": search}],
        "changedPropIds": ["url.pathname"], "state": [],
    }
    req = urllib.request.Request(f"{base}/_dash-update-component", data=json.dumps(payload).encode(),
                                 headers={"Content-Type": "application/json", "Origin": base}, method="POST")
    return json.dumps(json.loads(opener.open(req, timeout=10).read()), ensure_ascii=False)


def test_handler_cannot_render_the_audit_page_by_callback(live_server):
    base, logins = live_server
    opener = session(base, "handler_chengguan", logins["handler_chengguan"])
    body = render(opener, base, "/audit")
    assert "access-denied" in body and "audit-table" not in body
    assert "auth.login" not in body  # no audit record leaked
    auditor = session(base, "auditor", logins["auditor"])
    assert "access.page" in render(auditor, base, "/audit")  # the denial itself was audited


def test_district_operator_cannot_open_another_district(live_server):
    base, logins = live_server
    opener = session(base, "operator_hailing", logins["operator_hailing"])
    own = render(opener, base, "/district", "?area=321202")
    assert "access-denied" not in own and "/maps/districts?area=321202" in own
    assert "海陵区" in opener.open(f"{base}/maps/districts?area=321202", timeout=10).read().decode()  # its own map
    other = render(opener, base, "/district", "?area=321203")
    assert "access-denied" in other and "321203001" not in other
    with pytest.raises(urllib.error.HTTPError) as err:
        opener.open(f"{base}/maps/districts?area=321203", timeout=10)
    assert err.value.code == 403


def test_cross_site_post_is_refused(live_server):
    base, logins = live_server
    opener = session(base, "duty_city", logins["duty_city"])
    req = urllib.request.Request(f"{base}/_dash-update-component", data=b"{}", method="POST",
                                 headers={"Content-Type": "application/json", "Origin": "http://evil.example"})
    with pytest.raises(urllib.error.HTTPError) as err:
        opener.open(req, timeout=10)
    assert err.value.code == 403


def test_security_headers_allow_nothing_outside_the_server(live_server):
    base, logins = live_server
    opener = session(base, "leader_mayor", logins["leader_mayor"])
    resp = opener.open(f"{base}/cockpit", timeout=10)
    csp = resp.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in directives["script-src"]
    assert "http" not in csp  # no external host anywhere in the policy
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "SAMEORIGIN"
    cookie_header = urllib.request.urlopen(f"{base}/login", timeout=10).headers.get_all("Set-Cookie")
    assert all("HttpOnly" in c and "SameSite=Strict" in c for c in cookie_header)


def test_no_stack_trace_on_bad_requests(live_server):
    base, logins = live_server
    opener = session(base, "duty_city", logins["duty_city"])
    req = urllib.request.Request(f"{base}/_dash-update-component", data=b"{not json", method="POST",
                                 headers={"Content-Type": "application/json", "Origin": base})
    with pytest.raises(urllib.error.HTTPError) as err:
        opener.open(req, timeout=10)
    body = err.value.read().decode()
    assert 400 <= err.value.code < 500
    assert "Traceback" not in body and "File \"" not in body
