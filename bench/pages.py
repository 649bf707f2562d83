"""Server time of each role's home view with the generated year of data: the router callback posted repeatedly
through the real Flask app (in process, no network), and the bytes of a first load.

    .venv/bin/python -m bench.pages [--scale 1] [--days 365] [--requests 50]

First load = the index HTML, every script and stylesheet it references, /_dash-layout, /_dash-dependencies and
the page callback's response: as sent now, and gzip-compressed (what a compressing server would send to a
browser that accepts gzip). The clock stands at the end of the generated year, so "today" has data.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import time

from bench import generate
from cockpit import bootstrap
from cockpit.app import create_app
from cockpit.core.clock import FixedClock

VIEWS = {"leader_mayor": "/cockpit", "operator_hailing": "/district", "duty_city": "/duty",
         "handler_chengguan": "/my-tasks"}


def login(client, user: str, password: str) -> None:
    """Sign a Flask test client in through the real login form."""
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form).group(1)
    resp = client.post("/login", data={"user_id": user, "password": password, "csrf_token": token})
    assert resp.status_code in (302, 303), resp.status_code


def router_payload(path: str) -> str:
    """The body Dash posts when the URL changes to `path` (the page callback)."""
    return json.dumps({
        "output": "page-content.children", "outputs": {"id": "page-content", "property": "children"},
        "inputs": [{"id": "url", "property": "pathname", "value": path},
                   {"id": "url", "property": "search", "value": ""}],
        "changedPropIds": ["url.pathname"], "state": []})


def first_load(client, path: str) -> tuple[int, int, dict[str, int]]:
    """(bytes as sent, bytes gzip-compressed, encoding → count) of a first load of `path`."""
    bodies, encodings = [], {}

    def get(url: str) -> None:
        resp = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
        enc = resp.headers.get("Content-Encoding", "identity")
        encodings[enc] = encodings.get(enc, 0) + 1
        raw = resp.get_data()
        bodies.append((raw, gzip.decompress(raw) if enc == "gzip" else raw))

    index = client.get(path).get_data(as_text=True)
    bodies.append((index.encode(), index.encode()))
    for asset in re.findall(r'(?:src|href)="(/[^"]+)"', index):
        get(asset)
    for url in ("/_dash-layout", "/_dash-dependencies"):
        get(url)
    resp = client.post("/_dash-update-component", data=router_payload(path), content_type="application/json")
    bodies.append((resp.get_data(), resp.get_data()))
    sent = sum(len(raw) for raw, _plain in bodies)
    compressed = sum(min(len(raw), len(gzip.compress(plain, 6))) for raw, plain in bodies)
    return sent, compressed, encodings


def main(argv: list[str] | None = None) -> None:
    """Measure each view and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--requests", type=int, default=50)
    a = parser.parse_args(argv)
    spec = generate.Spec(a.scale, a.days)
    dep = generate.build(spec)
    runtime = bootstrap.open_runtime(dep.config_path, clock=FixedClock(spec.now()))
    logins = dep.logins()
    app = create_app(runtime)
    print(f"data set {dep.folder.name}; {a.requests} requests per view")
    print(f"{'view':<12}{'median ms':>10}{'p95 ms':>10}{'first load KiB':>16}{'gzip KiB':>10}  encodings")
    p95s = {}
    for user, path in VIEWS.items():
        client = app.server.test_client()
        login(client, user, logins[user])
        sent, compressed, encodings = first_load(client, path)
        times = []
        for _ in range(a.requests):
            t0 = time.perf_counter()
            resp = client.post("/_dash-update-component", data=router_payload(path), content_type="application/json")
            times.append((time.perf_counter() - t0) * 1000)
            assert resp.status_code == 200, resp.status_code
        p95s[path] = statistics.quantiles(times, n=20)[-1]
        print(f"{path:<12}{statistics.median(times):>10.1f}{p95s[path]:>10.1f}{sent / 1024:>16.1f}"
              f"{compressed / 1024:>10.1f}  {encodings}")
    print(f"goal: leader view p95 < 300 ms -> {'met' if p95s['/cockpit'] < 300 else 'MISSED'}")
    runtime.db.close()


if __name__ == "__main__":
    main()
