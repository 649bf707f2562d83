"""Server time of each role's home view: the router callback posted repeatedly through the real Flask app.

Run: `.venv/bin/python -m bench.pages [--requests N]`. Prints median and p95 per view and the bytes of a
first load (index HTML, every script and stylesheet it references, layout, dependencies and the page callback).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
import time
from pathlib import Path

from cockpit import bootstrap
from cockpit.app import create_app
from cockpit.demo.accounts import seed_accounts
from tests.conftest import write_config

VIEWS = {"leader_mayor": "/cockpit", "operator_hailing": "/district", "duty_city": "/duty",
         "handler_chengguan": "/my-tasks"}


def _client(app, user: str, password: str):
    client = app.server.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form).group(1)
    client.post("/login", data={"user_id": user, "password": password, "csrf_token": token})
    return client


def main() -> None:
    """Measure each view and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runtime = bootstrap.open_runtime(write_config(Path(tmp), core_only=False))
        logins = {u: p for u, _n, _r, p in seed_accounts(runtime.db, Path(tmp) / "logins.txt")}
        app = create_app(runtime)
        print(f"{'view':<12}{'median ms':>10}{'p95 ms':>10}{'first load KiB':>16}")
        for user, path in VIEWS.items():
            client = _client(app, user, logins[user])
            payload = json.dumps({
                "output": "page-content.children", "outputs": {"id": "page-content", "property": "children"},
                "inputs": [{"id": "url", "property": "pathname", "value": path},
                           {"id": "url", "property": "search", "value": ""}],
                "changedPropIds": ["url.pathname"], "state": []})
            index = client.get(path).get_data(as_text=True)
            assets = re.findall(r'(?:src|href)="(/[^"]+)"', index)
            first = len(index) + sum(len(client.get(a).get_data()) for a in assets)
            first += sum(len(client.get(p).get_data()) for p in ("/_dash-layout", "/_dash-dependencies"))
            times = []
            for _ in range(args.requests):
                t0 = time.perf_counter()
                resp = client.post("/_dash-update-component", data=payload, content_type="application/json")
                times.append((time.perf_counter() - t0) * 1000)
                assert resp.status_code == 200, resp.status_code
            first += len(resp.get_data())
            p95 = statistics.quantiles(times, n=20)[-1]
            print(f"{path:<12}{statistics.median(times):>10.1f}{p95:>10.1f}{first / 1024:>16.1f}")


if __name__ == "__main__":
    main()
