"""Table-driven transition tests of the pure lifecycle step: one row = state before, what was seen, state after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from alerts import lifecycle, reasons
from alerts.model import Cause, Instance, Observation, Timing

T0 = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)
TIMING = Timing({"yellow": timedelta(hours=2), "orange": timedelta(hours=1), "red": timedelta(0)},
                timedelta(minutes=30))
HOLD = {lv: Cause(reasons.HELD_ABOVE, {"duration": "2h"}, 200.0) for lv in ("yellow", "orange", "red")}


def obs(*levels, no_data=False):
    return Observation({lv: HOLD[lv] for lv in levels}, 250.0, None, no_data=no_data)


def inst(state="inactive", level=None, timers=None, clear_since=None, warning_id=None):
    return Instance("env.aqi", "321202", indicator_id="env.aqi", warning_id=warning_id or (
        None if state == "inactive" else "YJ000001"), state=state, level=level, timers=timers or {},
        clear_since=clear_since, fired_at=T0 if state in ("firing", "acknowledged") else None, tier="district",
        tier_since=T0)


H = timedelta(hours=1)
M = timedelta(minutes=1)

CASES = [
    # id, before, observation, minutes after T0, expected state, level, event kinds
    ("quiet stays inactive", inst(), obs(), 0, "inactive", None, []),
    ("condition starts: pending", inst(), obs("yellow"), 0, "pending", "yellow", ["pending"]),
    ("no for: fires at once", inst(), obs("red"), 0, "firing", "red", ["firing"]),
    ("pending before for", inst("pending", "yellow", {"yellow": T0}), obs("yellow"), 119, "pending", "yellow", []),
    ("pending reaches for", inst("pending", "yellow", {"yellow": T0}), obs("yellow"), 120, "firing", "yellow",
     ["firing"]),
    ("pending clears: inactive, never fired", inst("pending", "yellow", {"yellow": T0}), obs(), 30, "inactive",
     "yellow", ["cancelled"]),
    ("firing rises in colour: same warning", inst("firing", "yellow", {"yellow": T0, "orange": T0}),
     obs("yellow", "orange"), 60, "firing", "orange", ["level_up"]),
    ("acknowledged rises: firing again", inst("acknowledged", "yellow", {"yellow": T0, "red": T0 + H}),
     obs("yellow", "red"), 61, "firing", "red", ["level_up"]),
    ("firing, clear shorter than clear_for", inst("firing", "yellow", {"yellow": T0}, T0 + 3 * H), obs(), 200,
     "firing", "yellow", []),
    ("firing, clear for clear_for: resolved", inst("firing", "yellow", {"yellow": T0}, T0 + 3 * H), obs(), 210,
     "resolved", "yellow", ["resolved"]),
    ("acknowledged resolves too", inst("acknowledged", "yellow", {"yellow": T0}, T0), obs(), 30, "resolved",
     "yellow", ["resolved"]),
    ("condition back: clear timer reset", inst("firing", "yellow", {"yellow": T0}, T0 + H), obs("yellow"), 120,
     "firing", "yellow", []),
    ("higher clear, lower holds: level down after clear_for",
     inst("firing", "orange", {"yellow": T0, "orange": T0}, T0 + 2 * H), obs("yellow"), 150, "firing", "yellow",
     ["level_down"]),
    ("no data freezes a firing warning", inst("firing", "red", {"red": T0}), obs(no_data=True), 600, "firing",
     "red", []),
    ("no data freezes a pending warning", inst("pending", "yellow", {"yellow": T0}), obs(no_data=True), 600,
     "pending", "yellow", []),
]


@pytest.mark.parametrize("before,observation,minutes,state,level,kinds",
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_transition(before, observation, minutes, state, level, kinds):
    after, events = lifecycle.step(before, observation, TIMING, T0 + minutes * M)
    assert (after.state, after.level, [e.kind for e in events]) == (state, level, kinds)


def test_fires_at_the_moment_for_elapsed_not_when_evaluated():
    before = inst("pending", "yellow", {"yellow": T0})
    after, events = lifecycle.step(before, obs("yellow"), TIMING, T0 + 5 * H)
    assert events[0].at == T0 + 2 * H and after.fired_at == T0 + 2 * H


def test_resolves_at_the_end_of_clear_for():
    before = inst("firing", "yellow", {"yellow": T0}, T0 + 3 * H)
    _, events = lifecycle.step(before, obs(), TIMING, T0 + 10 * H)
    assert events[0].at == T0 + 3 * H + 30 * M


def test_acknowledge_only_firing():
    firing = inst("firing", "yellow", {"yellow": T0})
    after, events = lifecycle.acknowledge(firing, "duty_city", "已通知生态环境局", T0 + H)
    assert (after.state, after.acknowledged_by, events[0].comment) == ("acknowledged", "duty_city", "已通知生态环境局")
    with pytest.raises(ValueError):
        lifecycle.acknowledge(after, "duty_city", None, T0 + 2 * H)
