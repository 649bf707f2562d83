"""The simulator as a process: `cockpit simulate` runs standalone and stops cleanly; drills from the CLI
reach the running one; a second backfill generates nothing twice; `cockpit demo` loads the city."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

from cockpit import bootstrap
from cockpit.core.clock import FixedClock
from cockpit.demo.simulator import Simulator, city_from_config
from connectors.runner import ingest
from tests.conftest import ROOT
from tests.demo.conftest import START, simulated_config


def _cli(config, *args, timeout=120):
    return subprocess.run([sys.executable, "-m", "cockpit.cli", "--config", str(config), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def _counts(runtime) -> dict[str, int]:
    return {d: runtime.db.one(f"select count(*) from {d}")[0] for d in runtime.config.datasets}


def test_backfill_twice_generates_and_loads_nothing_twice(tmp_path):
    config = simulated_config(tmp_path, days=2)
    clock = FixedClock(START)
    runtime = bootstrap.open_runtime(config, clock)
    sim_config = runtime.config.simulator
    city = city_from_config(runtime.config, sim_config.seed, sim_config.scale)
    first = Simulator(sim_config, city, clock=clock)
    first.start_api()
    report = first.backfill()
    assert sum(report.rows.values()) > 5_000
    ingest(runtime.db, runtime.config, clock)
    counts = _counts(runtime)
    first.stop()

    second = Simulator(sim_config, city, clock=clock)      # `make demo` a second time
    second.start_api()
    again = second.backfill()
    assert sum(again.rows.values()) == 0
    assert all(r.status == "ok" for r in ingest(runtime.db, runtime.config, clock))
    assert _counts(runtime) == counts
    second.stop()


def test_simulate_runs_standalone_takes_a_cli_drill_and_stops_on_sigterm(tmp_path):
    config = simulated_config(tmp_path, days=1)
    port = bootstrap.check(config).simulator.http_port
    proc = subprocess.Popen([sys.executable, "-m", "cockpit.cli", "--config", str(config), "simulate"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while not _listening(port):
            assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read() if proc.poll() else "slow"
            time.sleep(0.2)
        done = _cli(config, "simulate", "drill", "flood", "--minutes", "20", "--param", "district=321202")
        assert done.returncode == 0, done.stderr
        assert "汛期高水位" in done.stdout and "321202" in done.stdout
        bad = _cli(config, "simulate", "drill", "earthquake")
        assert bad.returncode != 0 and "earthquake" in bad.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "stopped" in out
    assert not _listening(port)


def test_drill_without_a_running_simulator_says_so(tmp_path):
    config = simulated_config(tmp_path, days=1)
    done = _cli(config, "simulate", "drill", "flood")
    assert done.returncode != 0 and "not running" in done.stderr


def test_demo_seed_only_loads_the_city_and_evaluates_indicators(tmp_path):
    config = simulated_config(tmp_path, days=1)
    done = _cli(config, "demo", "--seed-only", timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "demo city loaded" in done.stderr and "history complete" in done.stderr
    runtime = bootstrap.open_runtime(config)
    assert runtime.db.one("select count(*) from hotline_orders")[0] > 200
    assert runtime.db.one("select count(*) from quarantine")[0] == 0
    assert runtime.db.one("select count(*) from indicator_values")[0] > 0
