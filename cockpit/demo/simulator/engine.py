"""The simulator: generates the history once, then plays the city live on its clock; drills change what
the systems produce for a while.

Progress is recorded per system in the simulator's store, so a second start generates only the time
since the last one (never the history again) and the connectors, which upsert by key, never double a row.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cockpit.core.config.simulator import SimulatorConfig
from cockpit.demo.simulator.air import AirStations
from cockpit.demo.simulator.base import DRILLS, RECENT_DAYS, Context, Drills, System
from cockpit.demo.simulator.city import DAY, City, epoch, from_epoch
from cockpit.demo.simulator.daily_stats import DailyStats
from cockpit.demo.simulator.emergency import EmergencyCommand
from cockpit.demo.simulator.gov_services import GovServices
from cockpit.demo.simulator.grid import GridPlatform
from cockpit.demo.simulator.hotline import Hotline
from cockpit.demo.simulator.http_api import ApiServer
from cockpit.demo.simulator.stores import ExchangeDb, InternalStore
from cockpit.demo.simulator.township import TownshipForm
from cockpit.demo.simulator.traffic import TrafficPlatform
from cockpit.demo.simulator.video import VideoPlatform
from cockpit.demo.simulator.water import Hydrology

log = logging.getLogger(__name__)

HISTORY_CHUNK = 10 * DAY
EXCHANGE_SYSTEMS = {"grid", "water", "emergency", "health", "business", "data_catalog", "hotline", "video", "traffic"}
DRILL_SYSTEMS = {"heavy_pollution": ("air_quality",), "flood": ("water",), "video_offline": ("video",)}


class ScaledClock:
    """Simulated time: starts at `start` and runs `speed` times faster than the machine's clock."""

    def __init__(self, speed: float = 1.0, start: datetime | None = None):
        self.speed = speed
        self._real0 = time.time()
        self._sim0 = (start or datetime.now(UTC)).timestamp()

    def now(self) -> datetime:
        """The simulated time, timezone-aware UTC."""
        return datetime.fromtimestamp(self._sim0 + (time.time() - self._real0) * self.speed, UTC)


@dataclass
class BackfillReport:
    """What one backfill generated."""

    seconds: float
    rows: dict[str, int] = field(default_factory=dict)
    system_seconds: dict[str, float] = field(default_factory=dict)
    start: datetime | None = None
    end: datetime | None = None


def _systems(ctx: Context, names: list[str]) -> list[System]:
    out: list[System] = []
    plain = {"hotline": Hotline, "grid": GridPlatform, "gov_services": GovServices, "air_quality": AirStations,
             "video": VideoPlatform, "water": Hydrology, "traffic": TrafficPlatform, "emergency": EmergencyCommand,
             "township_form": TownshipForm}
    for name in names:
        if name in plain:
            out.append(plain[name](ctx))
    tables = tuple(t for t in ("health", "business", "data_catalog") if t in names)
    if tables:
        stats = DailyStats(ctx)
        stats.tables = tables
        out.append(stats)
    return out


class Simulator:
    """The simulated government systems of one city."""

    def __init__(self, config: SimulatorConfig, city: City, clock=None, form_submit=None, base_dir: Path | None = None):
        self.config = config
        self.city = city
        self.clock = clock or ScaledClock(config.speed)
        folder = Path(config.folder)
        self.folder = folder if folder.is_absolute() else (base_dir or Path.cwd()) / folder
        self.internal = InternalStore(self.folder / "simulator.sqlite")
        needs_exchange = bool(EXCHANGE_SYSTEMS & set(config.systems))
        self.exchange = ExchangeDb(config.exchange, self.folder) if needs_exchange else None
        self.drills = Drills(self.internal.drills(epoch(self.clock.now())))
        self.ctx = Context(city, self.internal, self.exchange, self.folder, self.drills,
                           mqtt=self._mqtt(), form_submit=form_submit, clock=self.clock)
        self.systems = _systems(self.ctx, list(config.systems))
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.api: ApiServer | None = None

    def _mqtt(self):
        if not self.config.mqtt_host or "air_quality" not in self.config.systems:
            return None
        import paho.mqtt.client as mqtt

        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"taizhou-sim-{self.config.seed}")
        client.connect(self.config.mqtt_host, self.config.mqtt_port)
        client.loop_start()
        return client

    # ------------------------------------------------------------------ history and live play
    def backfill(self) -> BackfillReport:
        """Generate the whole history (recent part first, then the archive); see `backfill_recent`."""
        report = self.backfill_recent()
        archive = self.backfill_archive()
        for name, n in archive.rows.items():
            report.rows[name] = report.rows.get(name, 0) + n
            report.system_seconds[name] = report.system_seconds.get(name, 0) + archive.system_seconds[name]
        report.seconds += archive.seconds
        report.start = archive.start
        return report

    def backfill_recent(self) -> BackfillReport:
        """Generate every system's history up to now: the last RECENT_DAYS the first time (at full resolution),
        only the time since the last run after that. Pages have current values once this is loaded."""
        now = epoch(self.clock.now())
        first = self._first(now)
        recent = max(first, (now - RECENT_DAYS * DAY) // DAY * DAY)
        report = BackfillReport(0.0, start=from_epoch(recent), end=from_epoch(now))
        self.ctx.horizon = now
        for system in self.systems:
            done = self.internal.progress(system.name)
            if done is None:
                self.internal.set_progress(f"{system.name}@from", recent)
            self._generate(system, recent if done is None else done, now, report, progress=True)
        self._log("recent history", report)
        return report

    def backfill_archive(self) -> BackfillReport:
        """Generate the older history (thinned readings) back to `history_days` ago, where it is missing."""
        now = epoch(self.clock.now())
        first = self._first(now)
        report = BackfillReport(0.0, start=from_epoch(first), end=from_epoch(now))
        for system in self.systems:
            start = self.internal.progress(f"{system.name}@from")
            if start is None or start <= first:
                report.rows[system.name], report.system_seconds[system.name] = 0, 0.0
                continue
            self._generate(system, first, start, report, progress=False)
            self.internal.set_progress(f"{system.name}@from", first)
        self._log("archive", report)
        return report

    def _first(self, now: int) -> int:
        return (now - self.config.history_days * DAY) // DAY * DAY

    def _generate(self, system: System, start: int, end: int, report: BackfillReport, progress: bool) -> None:
        began = time.monotonic()
        rows = 0
        with self._lock:
            while start < end:
                stop = min(start + HISTORY_CHUNK, end)
                rows += system.generate(start, stop, history=True)
                if progress:
                    self.internal.set_progress(system.name, stop)
                start = stop
        report.rows[system.name] = rows
        report.system_seconds[system.name] = round(time.monotonic() - began, 2)
        report.seconds += time.monotonic() - began

    @staticmethod
    def _log(what: str, report: BackfillReport) -> None:
        log.info("simulated city: %s generated in %.1f s (%s)", what, report.seconds,
                 ", ".join(f"{k} {v}" for k, v in report.rows.items()))

    def step(self) -> dict[str, int]:
        """Play the time since the last step: every system writes what happened meanwhile."""
        with self._lock:
            now = epoch(self.clock.now())
            self.refresh_drills(now)
            out = {}
            for system in self.systems:
                done = self.internal.progress(system.name) or now
                if done >= now or self.drills.outage(system.name, now) and system.name not in ("hotline", "video",
                                                                                                 "traffic"):
                    continue        # an interrupted exchange or file system delivers nothing until it is back
                out[system.name] = system.generate(done, now, history=False)
                self.internal.set_progress(system.name, now)
            return out

    def refresh_drills(self, now: int | None = None) -> None:
        """Reload the drills in force (and those still to end)."""
        self.drills.items = self.internal.drills(now if now is not None else epoch(self.clock.now()))

    def inject(self, name: str, minutes: float, params: dict | None = None) -> dict:
        """Start a drill now for `minutes` of simulated time; returns the drill as recorded."""
        if name not in DRILLS:
            raise ValueError(f"unknown drill {name!r}; one of {', '.join(DRILLS)}")
        if minutes <= 0:
            raise ValueError("minutes must be positive")
        params = {**self.default_params(name), **(params or {})}
        self._check_params(params)
        with self._lock:
            now = epoch(self.clock.now())
            drill_id = self.internal.add_drill(name, now, now + int(minutes * 60), params)
            self.refresh_drills(now)
            self.step()
            for system in self.systems:      # readings systems show the drill at once, not at the next reading
                if system.name in DRILL_SYSTEMS.get(name, ()):
                    step = system.live_interval
                    system.generate(now // step * step, now // step * step + 1, history=False)
        log.warning("drill %s (%s) started for %s minutes: %s", name, DRILLS[name], minutes, params)
        return {"id": drill_id, "name": name, "title": DRILLS[name], "starts": from_epoch(now).isoformat(),
                "ends": from_epoch(now + int(minutes * 60)).isoformat(), "params": params}

    def default_params(self, name: str) -> dict:
        """The drill's parameters unless given: where it happens and how strong it is."""
        city = self.city
        first_district = city.districts[0]
        return {
            "heavy_pollution": {"pm25": 230},
            "flood": {"district": city.districts[3] if len(city.districts) > 3 else first_district, "above_m": 0.45},
            "hotline_surge": {"street": city.streets_of(first_district)[0], "category": "水电气热", "per_hour": 40},
            "video_offline": {"district": first_district},
            "source_outage": {"system": "traffic"},
        }[name]

    def _check_params(self, params: dict) -> None:
        if "district" in params and params["district"] not in self.city.districts:
            raise ValueError(f"unknown district {params['district']}")
        if "street" in params and params["street"] not in self.city.streets:
            raise ValueError(f"unknown street {params['street']}")
        if "system" in params and params["system"] not in {s.name for s in self.systems} | {"health", "business",
                                                                                                "data_catalog"}:
            raise ValueError(f"unknown system {params['system']}")

    def status(self) -> dict:
        """Clock, progress and drills, for the control endpoint."""
        now = epoch(self.clock.now())
        return {"now": from_epoch(now).isoformat(), "speed": self.config.speed,
                "systems": {s.name: from_epoch(self.internal.progress(s.name) or 0).isoformat() for s in self.systems},
                "drills": [{**d, "active": d["starts"] <= now < d["ends"], "title": DRILLS[d["name"]],
                            "starts": from_epoch(d["starts"]).isoformat(), "ends": from_epoch(d["ends"]).isoformat()}
                           for d in self.internal.drills(now - DAY)]}

    # ------------------------------------------------------------------ running
    def start_api(self) -> None:
        """Serve the data APIs and the control endpoint on 127.0.0.1."""
        if self.api is None:
            self.api = ApiServer(self, self.config.http_port)
            self.api.start()

    def start(self, backfill: bool = True) -> None:
        """Serve the APIs, generate the history (unless done) and play live in a background thread."""
        self.start_api()
        if backfill:
            self.backfill()
        self._thread = threading.Thread(target=self._run, name="simulator", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.config.tick_seconds):
            try:
                self.step()
            except Exception:   # a failed step is logged and retried at the next tick; the demo goes on
                log.exception("simulator step failed")

    def stop(self, timeout: float = 10.0) -> None:
        """Stop playing and serving; close the stores."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self.api is not None:
            self.api.stop()
            self.api = None
        if self.ctx.mqtt is not None:
            self.ctx.mqtt.loop_stop()
            self.ctx.mqtt.disconnect()
        if self.exchange is not None:
            self.exchange.close()
        self.internal.close()

    @property
    def running(self) -> bool:
        """Whether the live thread is playing."""
        return self._thread is not None and self._thread.is_alive()

