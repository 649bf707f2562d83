"""Hypothesis: random readings, evaluation times and acknowledgements against the real evaluator and DuckDB.

Invariants of issue 5: no firing before `for`; one open warning per rule × area; a warning resolves only
after it fired; oscillation inside the hysteresis band causes at most one transition.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from alerts import actions, evaluate, observe, queries
from cockpit import bootstrap
from cockpit.core import store as core_store
from cockpit.core.config import load_config
from cockpit.core.config.indicators import LevelRule
from cockpit.core.db import Database
from tests.alerts.conftest import put_values, utc
from tests.conftest import write_config

AREA, IND = "321202", "env.aqi"
T0 = utc("2026-02-01 00:00")
FOR = {"yellow": timedelta(hours=2), "red": timedelta(hours=1)}
_CONFIG = {}


def small_config():
    """The demo config with one indicator (yellow > 100 for 2h, red > 200 for 1h, hysteresis 5); no plans,
    no escalation."""
    if "c" not in _CONFIG:
        folder = Path(tempfile.mkdtemp(prefix="alerts_sm_"))
        full = load_config(write_config(folder, core_only=False), extra_checks=bootstrap.CONFIG_CHECKS)
        ind = full.indicators[IND].model_copy(update={
            "levels": {"yellow": LevelRule(above=100, **{"for": "2h"}), "red": LevelRule(above=200, **{"for": "1h"})},
            "hysteresis": 5.0, "no_data": None})
        quiet = full.alerts.model_copy(update={"escalation": full.alerts.escalation.model_copy(
            update={"enabled": False})})
        _CONFIG["c"] = (folder, full.model_copy(update={"indicators": {IND: ind}, "plans": {}, "alerts": quiet}))
    return _CONFIG["c"]


class Duty:
    user_id, role, area_code, unit_id = "duty_hailing", "duty_officer", AREA, None


class WarningMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        folder, self.config = small_config()
        self.dir = tempfile.mkdtemp(dir=folder)
        self.db = Database(Path(self.dir) / "sm.duckdb")
        self.db.migrate(bootstrap.MIGRATIONS)
        core_store.sync_identity(self.db, self.config)
        self.hour = 0
        self.now = T0
        self.series = {}
        self.since = {}          # the model of `for`: level → first evaluation that saw it hold, continuously

    def teardown(self):
        self.db.close()

    @rule(value=st.sampled_from([50.0, 98.0, 103.0, 150.0, 198.0, 203.0, 260.0]))
    def reading(self, value):
        t = T0 + timedelta(hours=self.hour)
        self.series[t] = value
        put_values(self.db, IND, "hour", AREA, {t: value})
        self.hour += 1

    @rule(minutes=st.integers(min_value=1, max_value=150))
    def evaluate(self, minutes):
        self.now = max(self.now, T0 + timedelta(hours=self.hour)) + timedelta(minutes=minutes)
        points = sorted(self.series.items())
        ind = self.config.indicators[IND]
        level_obs = observe.observe_indicator(self.config, IND, ind, AREA, points, self.now)[0].observation
        for lv in ("yellow", "red"):
            if lv in level_obs.causes:
                self.since.setdefault(lv, self.now)
            else:
                self.since.pop(lv, None)
        self.before = {e.event_id for e in queries.events_after(self.db, 0)}
        evaluate.evaluate(self.db, self.config, self.now)
        for e in queries.events_after(self.db, 0):
            if e.event_id not in self.before and e.kind in ("firing", "level_up"):
                # no firing before `for`: the level was seen holding, without a gap, for its `for`
                assert e.level in self.since and e.at - self.since[e.level] >= FOR[e.level], e

    @precondition(lambda self: self.series)
    @rule(comment=st.sampled_from(["", "已处置"]))
    def acknowledge(self, comment):
        queue = queries.warning_queue(self.db, self.config, AREA, self.now, state="firing")
        for wid in queue["warning_id"].to_list():
            actions.acknowledge(self.db, Duty(), wid, comment, self.now)

    @invariant()
    def one_open_warning_per_rule_and_area(self):
        if not hasattr(self, "db"):
            return
        rows = self.db.rows("select rule_id, area_code, count(*) from warnings where open group by all")
        assert all(n == 1 for *_k, n in rows), rows

    @invariant()
    def resolved_only_after_fired(self):
        if not hasattr(self, "db"):
            return
        by_warning = {}
        for e in queries.events_after(self.db, 0):
            by_warning.setdefault(e.warning_id, []).append(e.kind)
        for kinds in by_warning.values():
            if "resolved" in kinds:
                assert "firing" in kinds[:kinds.index("resolved")]
            if "acknowledged" in kinds:
                assert "firing" in kinds[:kinds.index("acknowledged")]


WarningMachine.TestCase.settings = settings(max_examples=8, stateful_step_count=20, deadline=None,
                                            suppress_health_check=[HealthCheck.too_slow])
TestWarningMachine = WarningMachine.TestCase


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(band=st.lists(st.floats(min_value=96.0, max_value=130.0), min_size=2, max_size=8))
def test_oscillation_inside_the_hysteresis_band_is_at_most_one_transition(tmp_path_factory, band):
    """Once yellow (> 100, hysteresis 5) fires, readings between 95 and 130 change nothing."""
    folder, config = small_config()
    db = Database(tmp_path_factory.mktemp("band") / "band.duckdb")
    db.migrate(bootstrap.MIGRATIONS)
    core_store.sync_identity(db, config)
    try:
        firing = {T0 + timedelta(hours=h): 150.0 for h in range(3)}
        put_values(db, IND, "hour", AREA, firing)
        for h in (0, 2, 3):
            evaluate.evaluate(db, config, T0 + timedelta(hours=h, minutes=5))
        assert [e.kind for e in queries.events_after(db, 0)] == ["pending", "firing"]
        last = queries.events_after(db, 0)[-1].event_id
        for i, value in enumerate(band):
            t = T0 + timedelta(hours=3 + i)
            put_values(db, IND, "hour", AREA, {t: value})
            evaluate.evaluate(db, config, t + timedelta(minutes=5))
        assert len(queries.events_after(db, last)) <= 1
    finally:
        db.close()
