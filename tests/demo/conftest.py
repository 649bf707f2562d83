"""The simulated city on loopback: a config whose simulator folder, API port and history length are the
test's own, and the cockpit runtime (a real DuckDB file) it feeds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cockpit import bootstrap
from cockpit.core.clock import FixedClock
from cockpit.demo.simulator import Simulator, city_from_config
from connectors import forms
from connectors.runner import ingest
from tests.conftest import free_port, write_config


def simulated_config(folder: Path, days: int = 3, port: int | None = None, extra: str = "") -> Path:
    """The demo config with the simulator (and every source reading it) moved into `folder`."""
    path = write_config(folder, core_only=False)
    port = port or free_port()
    text = path.read_text(encoding="utf-8")
    body = re.search(r"!include (\S+sources\.yaml)", text).group(1)
    sources = Path(body).read_text(encoding="utf-8")
    sources = sources.replace("data/simulator", str(folder / "sim")).replace("127.0.0.1:8061", f"127.0.0.1:{port}")
    (folder / "sources.yaml").write_text(sources, encoding="utf-8")
    text = text.replace(f"!include {body}", f"!include {folder / 'sources.yaml'}")
    text = re.sub(r"\nsimulator:\n(  .*\n?)*", "\n", text)
    text += (f"\nsimulator:\n  seed: 7\n  history_days: {days}\n  folder: {folder / 'sim'}\n  http_port: {port}\n"
             f"  tick_seconds: 0.2\n{extra}")
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def sim_config(tmp_path) -> Path:
    """A simulated-city config with three days of history in a temporary folder."""
    return simulated_config(tmp_path)


# 2026-03-02 08:00 UTC = 16:00 in Taizhou, a Monday
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@dataclass
class City:
    """A deployment fed by a simulator on a fixed clock (not started: tests step it)."""

    runtime: bootstrap.Runtime
    simulator: Simulator
    clock: FixedClock

    def ingest(self, *source_ids: str):
        """Run the given sources (every enabled one when none is given) once."""
        if not source_ids:
            return ingest(self.runtime.db, self.runtime.config, self.clock)
        return [r for sid in source_ids for r in ingest(self.runtime.db, self.runtime.config, self.clock, sid)]

    def count(self, sql: str, params=None) -> int:
        """The first value of a query on the cockpit database."""
        return self.runtime.db.one(sql, params)[0]

    def advance(self, minutes: float) -> None:
        """Move time on and let the simulated systems play it."""
        self.clock.advance(minutes=minutes)
        self.simulator.step()


@pytest.fixture
def city(tmp_path):
    """A day of simulated history in the simulated systems, APIs on loopback, the cockpit's DuckDB file in tmp,
    the clock fixed; tests ingest what they look at."""
    clock = FixedClock(START)
    config = simulated_config(tmp_path, days=1)
    runtime = bootstrap.open_runtime(config, clock)
    sim_config = runtime.config.simulator

    def submit(street, at, values):
        forms.submit(runtime.db, runtime.config, "township_form", street, values, at, "demo-sim")

    simulator = Simulator(sim_config, city_from_config(runtime.config, sim_config.seed, sim_config.scale),
                          clock=clock, form_submit=submit)
    simulator.start_api()
    simulator.backfill()
    yield City(runtime, simulator, clock)
    simulator.stop()
    runtime.db.close()
