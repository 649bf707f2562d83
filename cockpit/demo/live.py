"""The simulated city inside `cockpit demo`: generate the history, take it in through the configured
sources, evaluate the indicators, then play live until the demo stops.

It runs in a background thread of the demo process, so the web pages answer while the history loads,
and the 一张表 submissions go through the form's own function (`connectors.forms.submit`) against the
demo's database (DuckDB admits one process per file).
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime

from cockpit.core.audit import Actor, audit
from cockpit.core.clock import Clock
from cockpit.core.config import Config
from cockpit.core.db import Database
from cockpit.demo.simulator import DRILLS, ScaledClock, Simulator, city_from_config

log = logging.getLogger(__name__)

FORM_USER = "demo-sim"


@dataclass
class Timings:
    """What the start of the demo city took (seconds)."""

    backfill_seconds: float = 0.0         # recent history generated
    rows_generated: int = 0
    ready_seconds: float = 0.0            # from start until the pages have values
    archive_seconds: float = 0.0          # older history generated
    archive_rows: int = 0
    complete_seconds: float = 0.0
    loads: list[dict] = field(default_factory=list)   # each ingest + evaluate round


def wants_city(config: Config) -> bool:
    """Whether this deployment plays the simulated city: a `simulator` section, enabled, and sources to feed."""
    return config.simulator is not None and config.simulator.enabled and bool(config.sources)


def demo_clock(config: Config):
    """The clock the whole demo shares: simulated when the simulator runs faster or slower than real time."""
    if config.simulator is not None and config.simulator.enabled and config.simulator.speed != 1.0:
        return ScaledClock(config.simulator.speed)
    return None


class DemoCity:
    """The simulator and its first load, driven from the demo process."""

    def __init__(self, runtime):
        self.runtime = runtime
        config = runtime.config
        sim = config.simulator
        self.simulator = Simulator(sim, city_from_config(config, sim.seed, sim.scale), clock=runtime.clock,
                                   form_submit=self._form_submitter(), base_dir=None)
        self.ready = threading.Event()        # recent history in, indicators evaluated: pages have values
        self.complete = threading.Event()     # the archive generated too (and, with --seed-only, loaded)
        self.timings = Timings()
        self._thread: threading.Thread | None = None

    def _form_submitter(self):
        from connectors import forms

        config = self.runtime.config
        sources = forms.form_sources(config)
        if not sources:
            return None
        source_id = sources[0]

        def submit(street: str, at: datetime, values: dict) -> None:
            forms.submit(self.runtime.db, config, source_id, street, values, at, FORM_USER)

        return submit

    def start(self, then=None) -> None:
        """Serve the simulated APIs at once; in the background generate the recent history, ingest it and
        evaluate the indicators (pages have current values), call `then` (the demo starts its scheduled jobs
        there, so they do not race this first load), play live, and generate the archive (older history),
        which the scheduled ingest jobs take in. Without `then` (`--seed-only`) the archive is loaded here too."""
        self.simulator.start_api()
        self._thread = threading.Thread(target=self._first_load, args=(then,), name="demo-city", daemon=True)
        self._thread.start()

    def _first_load(self, then) -> None:
        began = time.monotonic()
        try:
            report = self.simulator.backfill_recent()
            self.timings.backfill_seconds = report.seconds
            self.timings.rows_generated = sum(report.rows.values())
            if self.runtime.config.simulator.initial_ingest:
                self.load()
            self.timings.ready_seconds = time.monotonic() - began
            self.ready.set()
            if then is not None:
                then()
                self.simulator.start(backfill=False)
            archive = self.simulator.backfill_archive()
            self.timings.archive_seconds = archive.seconds
            self.timings.archive_rows = sum(archive.rows.values())
            if then is None and self.runtime.config.simulator.initial_ingest:
                self.load()
            self.timings.complete_seconds = time.monotonic() - began
            log.info("demo city: history complete after %.1f s (archive %d rows generated in %.1f s)",
                     self.timings.complete_seconds, self.timings.archive_rows, archive.seconds)
        except Exception:
            log.exception("demo city: first load failed; the scheduled jobs will retry the sources")
        finally:
            self.ready.set()
            self.complete.set()

    def load(self) -> dict:
        """Ingest every enabled source once, then evaluate the indicators; timed (appended to `timings.loads`)."""
        from connectors.runner import ingest
        from indicators import engine

        began = time.monotonic()
        results = ingest(self.runtime.db, self.runtime.config, self.runtime.clock)
        ingested = time.monotonic()
        engine.evaluate(self.runtime.db, self.runtime.config, self.runtime.clock.now())
        load = {"ingest_seconds": round(ingested - began, 1), "rows_loaded": sum(r.rows_loaded for r in results),
                "rows_quarantined": sum(r.rows_quarantined for r in results),
                "failed_sources": [r.source_id for r in results if r.status != "ok"],
                "evaluate_seconds": round(time.monotonic() - ingested, 1)}
        self.timings.loads.append(load)
        log.info("demo city loaded: ingest %.1f s (%d rows, %d quarantined%s), indicators %.1f s",
                 load["ingest_seconds"], load["rows_loaded"], load["rows_quarantined"],
                 f", failed: {', '.join(load['failed_sources'])}" if load["failed_sources"] else "",
                 load["evaluate_seconds"])
        return load

    def stop(self) -> None:
        """Stop the simulator (its live thread and its APIs)."""
        self.simulator.stop()


def inject_drill(config: Config, name: str, minutes: float = 60, params: dict | None = None,
                 timeout: float = 10.0) -> dict:
    """Start a drill (应急演练) in the running simulated city through its control endpoint on loopback.

    Returns the drill as recorded (id, name, title, starts, ends, params). Raises ValueError for an unknown
    drill or bad parameters and ConnectionError when no simulator is running. Callers audit the action.
    """
    if name not in DRILLS:
        raise ValueError(f"unknown drill {name!r}; one of {', '.join(DRILLS)}")
    body = json.dumps({"name": name, "minutes": minutes, "params": params or {}}).encode("utf-8")
    return _control(config, "/control/drill", body, timeout)["data"]


@dataclass(frozen=True)
class DrillControl:
    """What the 系统管理 page uses to start drills (应急演练) in the running simulated city; every attempt is
    audited, including those the simulator refuses or that find no simulator running."""

    config: Config
    db: Database

    def titles(self) -> dict[str, str]:
        """Drill name → its Chinese title."""
        return dict(DRILLS)

    def start(self, actor: Actor, name: str, minutes: float, clock: Clock | None = None) -> dict:
        """Start a drill; raises ValueError (unknown drill, bad parameters) or ConnectionError (no simulator)."""
        try:
            drill = inject_drill(self.config, name, minutes)
        except (ValueError, ConnectionError) as exc:
            audit(self.db, actor, "demo.drill", f"drill:{name}", {"minutes": minutes, "error": str(exc)},
                  outcome="failed", clock=clock)
            raise
        audit(self.db, actor, "demo.drill", f"drill:{name}", {"minutes": minutes, "id": drill.get("id")}, clock=clock)
        return drill


def simulator_status(config: Config, timeout: float = 5.0) -> dict:
    """The running simulator's clock, progress per system and recent drills."""
    return _control(config, "/control/status", None, timeout)


def _control(config: Config, path: str, body: bytes | None, timeout: float) -> dict:
    if config.simulator is None:
        raise ConnectionError("no simulator is configured (config.yaml has no `simulator:` section)")
    url = f"http://127.0.0.1:{config.simulator.http_port}{path}"
    request = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http on loopback)
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        message = json.loads(exc.read() or b"{}").get("msg", str(exc))
        if exc.code == 400:
            raise ValueError(message) from None
        raise ConnectionError(message) from None
    except OSError as exc:
        raise ConnectionError(f"the simulated city is not running on 127.0.0.1:{config.simulator.http_port} "
                              f"({exc})") from None
