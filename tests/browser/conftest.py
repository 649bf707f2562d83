"""Playwright on Debian's Chromium; every non-loopback request is blocked and recorded."""

from __future__ import annotations

import os
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("COCKPIT_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


class Visit:
    """A browser page that records console errors and any request that tries to leave loopback."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.external: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.route("**/*", self._route)

    def _route(self, route):
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()


@pytest.fixture
def visit(browser):
    """Open pages; each test's pages are closed after it, so that their polling stops loading the server."""
    contexts = []

    def make(width: int = 1440, height: int = 900) -> Visit:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        contexts.append(context)
        return Visit(context.new_page())

    yield make
    for context in contexts:
        context.close()


TOTP_SECRETS: dict[tuple[str, str], str] = {}  # (server, user) → the secret that user enrolled there
_LAST_STEP: dict[str, int] = {}  # secret → the last time step used with it


def fresh_totp(base: str, user: str, secret: str) -> str:
    """A code the server at `base` has not seen for `user`: codes are single-use, so step past the last
    one used (the server accepts one step of drift; beyond that, wait for the clock)."""
    import time

    import pyotp

    TOTP_SECRETS[(base, user)] = secret
    step = max(int(time.time()) // 30, _LAST_STEP.get(secret, -1) + 1)
    while step > int(time.time()) // 30 + 1:
        time.sleep(1)
    _LAST_STEP[secret] = step
    return pyotp.TOTP(secret).generate_otp(step)


def login(v: Visit, base: str, user: str, password: str) -> None:
    """Sign in through the real login form."""
    v.page.goto(f"{base}/login")
    v.page.fill("#user_id", user)
    v.page.fill("#password", password)
    v.page.click("#login-submit")
    v.page.wait_for_load_state("networkidle")
    if "/login/totp" in v.page.url:  # roles with a second factor enrol an authenticator at first login
        secret = TOTP_SECRETS.get((base, user)) or v.page.inner_text("#totp-secret").strip()
        v.page.fill("#code", fresh_totp(base, user, secret))
        v.page.click("#form-submit")
        v.page.wait_for_load_state("networkidle")
