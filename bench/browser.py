"""First load of the leader view in real (headless) Chromium against `cockpit serve` with the generated year.

    .venv/bin/python -m bench.browser [--scale 1] [--days 365] [--loads 3]

Each load is a fresh browser context (empty cache): sign in through the form, then time `goto /cockpit` until
the page title is drawn and the district map frame has drawn its shapes, with the bytes received over the
network (as transferred, i.e. after any Content-Encoding). Routing every request disables the browser cache,
so the assets fetched while signing in are fetched again, as on a first visit.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench import generate
from bench.server import Server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def one_load(browser, url: str, user: str, password: str) -> tuple[float, float, int]:
    """(seconds to title, seconds to map drawn, bytes received) of one cold first load of the leader view."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(180_000)  # a loaded machine is slow; the figure is the time, not a pass/fail
    page.goto(f"{url}/login")
    page.fill("#user_id", user)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_selector(".page-title")
    page.goto("about:blank")
    received: list[int] = []

    def on_finished(request) -> None:
        sizes = request.sizes()
        received.append(sizes["responseBodySize"] + sizes["responseHeadersSize"])

    page.on("requestfinished", on_finished)
    page.route("**/*", lambda route: route.continue_())  # disables the memory cache: every byte is fetched
    t0 = time.perf_counter()
    page.goto(f"{url}/cockpit")
    page.wait_for_selector(".page-title")
    title = time.perf_counter() - t0
    if page.query_selector("iframe.map-frame"):
        page.frame_locator("iframe.map-frame").locator(".leaflet-interactive").first.wait_for()
    drawn = time.perf_counter() - t0
    page.wait_for_load_state("networkidle")
    context.close()
    return title, drawn, sum(received)


def main(argv: list[str] | None = None) -> None:
    """Start the server and a browser, measure the loads, print the figures."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--loads", type=int, default=3)
    a = parser.parse_args(argv)
    spec = generate.Spec(a.scale, a.days)
    dep = generate.build(spec)
    password = dep.logins()["leader_mayor"]
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp, \
            Server(generate.scratch_copy(dep, Path(tmp)).config_path, spec.now(), Path(tmp) / "server.log",
                   scheduler=False) as srv, \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        loads = [one_load(browser, srv.url, "leader_mayor", password) for _ in range(a.loads)]
        browser.close()
    titles, drawn, sizes = zip(*loads, strict=True)
    print(f"data set {dep.folder.name}; {a.loads} cold loads of /cockpit at 1920x1080 (signed in, empty cache)")
    print(f"leader view title drawn   median {statistics.median(titles) * 1000:.0f} ms  "
          f"({', '.join(f'{t * 1000:.0f}' for t in titles)})")
    print(f"leader view + map drawn   median {statistics.median(drawn) * 1000:.0f} ms  "
          f"({', '.join(f'{t * 1000:.0f}' for t in drawn)})")
    print(f"bytes received            {statistics.median(sizes) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
