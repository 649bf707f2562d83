"""50 simulated users on loopback against `cockpit serve` with the generated year, while ingestion runs; the
server's peak memory; and ingest freshness (a row landing in a source folder → visible to pages).

    .venv/bin/python -m bench.concurrency [--scale 1] [--days 365] [--users 50] [--seconds 60]

The server is the real one (`run_server`: waitress threads + the scheduler) in a child process, its clock at the
end of the generated year. Each user is a thread with its own `requests` session: it signs in through the form,
loads its role's home page (index, layout, dependencies), then until the time is up posts the page callback and
the data-version poll callback with 0.5–1.5 s think time between rounds. Meanwhile a feeder drops a CSV of new
12345 orders into the `bench_orders` file-drop folder every second (the source is polled every 5 s).
Freshness: before the load, a one-row file is dropped and the data version polled until it changes (3 times).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import tempfile
import threading
import time
from pathlib import Path

import requests

from bench import generate
from bench.pages import router_payload
from bench.server import Server

ROLE_VIEWS = [("leader_mayor", "/cockpit"), ("leader_vice", "/cockpit"), ("operator_hailing", "/district"),
              ("operator_city", "/district"), ("duty_city", "/duty"), ("duty_hailing", "/duty"),
              ("duty_jiangyan", "/duty"), ("handler_chengguan", "/my-tasks"), ("handler_shuili", "/my-tasks")]


def poll_payload(known: str | None) -> str:
    """The data-version poll callback's body, with the version the page already has."""
    return json.dumps({"output": "..shell-freshness.children...data-version.data..",
                       "outputs": [{"id": "shell-freshness", "property": "children"},
                                   {"id": "data-version", "property": "data"}],
                       "inputs": [{"id": "data-poll", "property": "n_intervals", "value": 1}],
                       "changedPropIds": ["data-poll.n_intervals"],
                       "state": [{"id": "data-version", "property": "data", "value": known}]})


HEADER = "order_id,created_at,street_code,category,dispatched,visited,satisfied,solved,status\n"


def signed_in(url: str, user: str, password: str) -> requests.Session:
    """A session signed in through the login form."""
    s = requests.Session()
    form = s.get(f"{url}/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form).group(1)
    r = s.post(f"{url}/login", data={"user_id": user, "password": password, "csrf_token": token},
               headers={"Origin": url}, timeout=30, allow_redirects=False)
    if r.status_code not in (302, 303):
        raise RuntimeError(f"login {user}: {r.status_code}")
    return s


def post(s: requests.Session, url: str, body: str) -> requests.Response:
    """Post a Dash callback."""
    return s.post(f"{url}/_dash-update-component", data=body, timeout=30,
                  headers={"Content-Type": "application/json", "Origin": url})


def data_version(s: requests.Session, url: str) -> str:
    """The data version pages poll."""
    r = post(s, url, poll_payload(None))
    r.raise_for_status()
    return str(r.json()["response"]["data-version"]["data"])


class Feeder:
    """Drops CSV files of new 12345 orders into the source folder (written aside, then renamed in)."""

    def __init__(self, folder: Path, streets: list[str], clock_at):
        self.folder, self.streets, self.clock_at, self.n, self.files = folder, streets, clock_at, 0, 0

    def drop(self, rows: int) -> None:
        """One file of `rows` orders stamped with the server's 'now'."""
        at = self.clock_at().astimezone(generate.LOCAL).strftime("%Y-%m-%d %H:%M:%S")
        lines = [HEADER]
        for _ in range(rows):
            self.n += 1
            lines.append(f"L{self.n},{at},{self.streets[self.n % len(self.streets)]},市容环境,true,true,true,true,办结\n")
        tmp = self.folder.parent / f"feed-{self.files}.part"
        tmp.write_text("".join(lines), encoding="utf-8")
        tmp.rename(self.folder / f"feed-{self.files:06d}.csv")
        self.files += 1

    def archived(self) -> int:
        """Files the source has taken."""
        return len(list((self.folder / "archive").glob("*.csv"))) if (self.folder / "archive").exists() else 0


def user_loop(url: str, user: str, password: str, path: str, until: float, seed: int, out: dict, lock) -> None:
    """One simulated user: sign in, first load, then page and poll callbacks with think time."""
    rnd = random.Random(seed)
    lat, errors = [], []
    try:
        s = signed_in(url, user, password)
        for p in (path, "/_dash-layout", "/_dash-dependencies"):
            r = s.get(f"{url}{p}", timeout=30)
            if r.status_code != 200:
                errors.append(f"GET {p} {r.status_code}")
        page, known = router_payload(path), None
        while time.monotonic() < until:
            for body in (page, None):
                t0 = time.perf_counter()
                try:
                    r = post(s, url, body or poll_payload(known))
                    if r.status_code not in (200, 204):  # 204: the poll found nothing new
                        errors.append(f"callback {r.status_code}")
                    elif body is None and r.status_code == 200:  # the version is left out when unchanged
                        known = r.json()["response"].get("data-version", {}).get("data", known)
                except requests.RequestException as exc:
                    errors.append(type(exc).__name__)
                lat.append((time.perf_counter() - t0) * 1000)
            time.sleep(rnd.uniform(0.5, 1.5))
    except Exception as exc:  # noqa: BLE001 - a failed user is an error in the figures, not a crash
        errors.append(f"{type(exc).__name__}: {exc}"[:200])
    with lock:
        out["lat"] += lat
        out["errors"] += errors


def main(argv: list[str] | None = None) -> None:
    """Start the server, measure freshness, run the users with the feeder, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--feed-rows", type=int, default=200, help="orders per file, one file a second")
    a = parser.parse_args(argv)
    spec = generate.Spec(a.scale, a.days)
    built = generate.build(spec)
    logins = built.logins()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp, \
            Server(generate.scratch_copy(built, Path(tmp)).config_path, spec.now(), Path(tmp) / "server.log") as srv:
        dep = generate.Deployment(Path(tmp), spec, built.meta)
        started = time.monotonic()
        rss_idle = srv.rss_kib()[0]
        offset = spec.now() - generate.utcnow()
        feeder = Feeder(dep.drop_dir, generate.streets(), lambda: generate.utcnow() + offset)
        probe = signed_in(srv.url, "duty_city", logins["duty_city"])
        fresh, seen = [], []
        for _ in range(3):  # landed = the source committed the file's rows (it archives the file on commit)
            v0, taken = data_version(probe, srv.url), feeder.archived()
            t0 = time.monotonic()
            feeder.drop(1)
            while feeder.archived() == taken and time.monotonic() - t0 < 120:
                time.sleep(0.1)
            fresh.append(time.monotonic() - t0)
            while data_version(probe, srv.url) == v0 and time.monotonic() - t0 < 120:
                time.sleep(0.1)
            seen.append(time.monotonic() - t0)
        out, lock = {"lat": [], "errors": []}, threading.Lock()
        until = time.monotonic() + a.seconds
        threads = [threading.Thread(target=user_loop, args=(srv.url, *ROLE_VIEWS[i % len(ROLE_VIEWS)][:1],
                                                            logins[ROLE_VIEWS[i % len(ROLE_VIEWS)][0]],
                                                            ROLE_VIEWS[i % len(ROLE_VIEWS)][1], until, i, out, lock))
                   for i in range(a.users)]
        for t in threads:
            t.start()
        files0, taken0 = feeder.files, feeder.archived()
        while time.monotonic() < until:
            feeder.drop(a.feed_rows)
            time.sleep(1)
        for t in threads:
            t.join(timeout=120)
        fed = feeder.files - files0
        deadline = time.monotonic() + 30
        while feeder.archived() < feeder.files and time.monotonic() < deadline:
            time.sleep(0.5)
        rss_now, rss_peak = srv.rss_kib()
        taken = feeder.archived()
        took = time.monotonic() - started
    lat = sorted(out["lat"]) or [float("nan")]
    p95 = statistics.quantiles(lat, n=20)[-1] if len(lat) > 1 else float("nan")
    print(f"data set {built.folder.name}; {a.users} users for {a.seconds:.0f} s; feeder {a.feed_rows} orders/s "
          f"({fed} files, {fed * a.feed_rows:,} rows; {taken - taken0}/{fed} taken by the source by the end)")
    print(f"callbacks          {len(lat):,} ({len(lat) / a.seconds:.0f}/s)  median {statistics.median(lat):.0f} ms  "
          f"p95 {p95:.0f} ms  max {lat[-1]:.0f} ms")
    print(f"errors             {len(out['errors'])}" + (f"  e.g. {sorted(set(out['errors']))[:5]}" if out["errors"] else ""))
    print(f"goal: p95 < 500 ms and no errors -> {'met' if p95 < 500 and not out['errors'] else 'MISSED'}")
    print(f"ingest freshness   row dropped in the source folder -> committed: {', '.join(f'{x:.1f}' for x in fresh)} s;"
          f" -> new data version seen by the pages' poll: {', '.join(f'{x:.1f}' for x in seen)} s "
          "(source polled every 5 s; 120 s = gave up)")
    print(f"server RSS         idle after start {rss_idle / 1024:.0f} MiB, end {rss_now / 1024:.0f} MiB, "
          f"peak {rss_peak / 1024:.0f} MiB  (run took {took:.0f} s)")


if __name__ == "__main__":
    main()
