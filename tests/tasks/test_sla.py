"""The SLA clock: working hours with the Chinese holiday calendar and make-up working days; yellow and red cards."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cockpit.core.config.tasks import CalendarConfig, SlaConfig, TasksConfig
from cockpit.tasks.sla import SlaPolicy, card_at, card_to_issue
from cockpit.tasks.worktime import WorkCalendar
from tests.tasks.test_transitions import task

CST = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar.from_config(CalendarConfig(), "Asia/Shanghai")
POLICY = SlaPolicy({
    "urgent": SlaConfig(accept="0.5h", finish="4h", calendar="natural", yellow_before="1h", red_after="1h"),
    "normal": SlaConfig(accept="4h", finish="3d", yellow_before="4h", red_after="1d"),
    "low": SlaConfig(accept="1d", finish="10d", yellow_before="1d", red_after="2d"),
}, CAL)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=CST).astimezone(UTC)


def test_a_working_day_has_seven_and_a_half_hours():
    assert CAL.hours_per_day == 7.5
    assert CAL.between(local(2026, 11, 23, 0, 0), local(2026, 11, 24, 0, 0)) == 7.5


def test_hours_skip_the_lunch_break_and_the_night():
    assert CAL.add(local(2026, 11, 23, 11, 0), 2) == local(2026, 11, 23, 14, 30)
    assert CAL.add(local(2026, 11, 23, 17, 0), 1) == local(2026, 11, 24, 9, 0)
    assert CAL.add(local(2026, 11, 23, 20, 0), 1) == local(2026, 11, 24, 9, 30)  # dispatched after hours


def test_weekends_are_skipped():
    friday_4pm = local(2026, 11, 27, 16, 0)
    assert CAL.add(friday_4pm, 4) == local(2026, 11, 30, 11, 0)  # Mon 08:30 + 2.5 h


def test_national_day_holiday_is_skipped():
    # 2026: 1-7 October off (国庆节、中秋节); Wednesday 30 September 17:00 + 1 h → Thursday 8 October 09:00
    assert not CAL.is_workday(date(2026, 10, 1))
    assert CAL.add(local(2026, 9, 30, 17, 0), 1) == local(2026, 10, 8, 9, 0)


def test_a_make_up_saturday_is_a_working_day():
    # Saturday 10 October 2026 is a make-up working day (调休上班); Friday 9 Oct 17:00 + 1 h lands on it.
    assert date(2026, 10, 10).weekday() == 5 and CAL.is_workday(date(2026, 10, 10))
    assert CAL.add(local(2026, 10, 9, 17, 0), 1) == local(2026, 10, 10, 9, 0)
    # while an ordinary Saturday is not
    assert CAL.add(local(2026, 10, 16, 17, 0), 1) == local(2026, 10, 19, 9, 0)


def test_spring_festival_and_configured_overrides():
    assert not CAL.is_workday(date(2026, 2, 17))
    cal = WorkCalendar.from_config(CalendarConfig(extra_holidays=[date(2027, 1, 4)],
                                                  extra_workdays=[date(2027, 1, 9)]), "Asia/Shanghai")
    # 2027 is beyond the holiday package: weekends are days off, the configured days override
    assert not cal.is_workday(date(2027, 1, 4)) and cal.is_workday(date(2027, 1, 9))
    assert cal.is_workday(date(2027, 1, 5)) and not cal.is_workday(date(2027, 1, 10))


def test_between_is_the_inverse_of_add():
    start = local(2026, 9, 29, 10, 17)
    for hours in (0.5, 3, 7.5, 22.5, 80):
        assert CAL.between(start, CAL.add(start, hours)) == pytest.approx(hours)


def test_deadlines_per_priority():
    monday_9 = local(2026, 11, 23, 9, 0)
    accept, finish = POLICY.deadlines("normal", monday_9)  # 4 h and 3 working days
    assert accept == local(2026, 11, 23, 14, 30) and finish == local(2026, 11, 26, 9, 0)
    accept, finish = POLICY.deadlines("urgent", local(2026, 10, 3, 22, 0))  # round the clock, even on a holiday
    assert accept == local(2026, 10, 3, 22, 30) and finish == local(2026, 10, 4, 2, 0)


def test_cards_near_and_past_the_deadline():
    due = local(2026, 11, 25, 17, 30)
    t = task(state="in_progress", finish_due=due)  # normal: yellow 4 h before, red 1 working day after
    assert card_at(t, POLICY, local(2026, 11, 25, 11, 0)).level == "none"  # 5 working hours left
    assert card_at(t, POLICY, local(2026, 11, 25, 14, 0)).level == "yellow"
    assert card_at(t, POLICY, local(2026, 11, 26, 17, 0)).level == "yellow"  # 7 working hours late
    assert card_at(t, POLICY, local(2026, 11, 26, 23, 0)).level == "yellow"  # the clock does not run at night
    assert card_at(t, POLICY, local(2026, 11, 27, 8, 31)).level == "red"
    assert card_at(t, POLICY, local(2026, 11, 27, 8, 31)).phase == "finish"


def test_sign_for_deadline_is_watched_until_signed():
    t = task(state="dispatched", accept_due=local(2026, 11, 23, 14, 30), finish_due=local(2026, 11, 26, 9, 0))
    card = card_at(t, POLICY, local(2026, 11, 23, 15, 0))
    assert (card.level, card.phase) == ("yellow", "accept")
    assert card_at(replace(t, state="submitted"), POLICY, local(2026, 12, 30, 9, 0)).level == "none"


def test_the_clock_stands_still_while_suspended():
    t = task(state="paused", paused_at=local(2026, 11, 25, 9, 0), finish_due=local(2026, 11, 25, 17, 30))
    assert card_at(t, POLICY, local(2026, 12, 30, 9, 0)).level == "none"
    shift = POLICY.shifter("normal")
    # paused Wednesday 09:00, resumed Thursday 09:00: 7.5 working hours → the deadline moves one working day
    assert shift(t.finish_due, t.paused_at, local(2026, 11, 26, 9, 0)) == local(2026, 11, 26, 17, 30)


def test_a_card_is_issued_once_per_level_and_deadline():
    t = task(state="in_progress", finish_due=local(2026, 11, 25, 17, 30))
    at = local(2026, 11, 25, 15, 0)
    assert card_to_issue(t, POLICY, at).level == "yellow"
    held = replace(t, card="yellow", card_phase="finish")
    assert card_to_issue(held, POLICY, at) is None
    assert card_to_issue(held, POLICY, local(2026, 11, 27, 9, 0)).level == "red"
    # a yellow card for signing late does not count against the finish deadline
    assert card_to_issue(replace(t, card="yellow", card_phase="accept"), POLICY, at).level == "yellow"


def test_margins_as_a_share_of_the_time_given():
    policy = SlaPolicy({"normal": SlaConfig(accept="4h", finish="3d", yellow_before="25%", red_after="50%")}, CAL)
    t = task(state="dispatched", created_at=local(2026, 11, 23, 9, 0), accept_due=local(2026, 11, 23, 14, 30))
    assert card_at(t, policy, local(2026, 11, 23, 11, 59)).level == "none"  # 1 h 1 min left (lunch excluded)
    assert card_at(t, policy, local(2026, 11, 23, 12, 0)).level == "yellow"  # 1 working hour left = 25% of 4 h
    assert card_at(t, policy, local(2026, 11, 23, 16, 30)).level == "yellow"  # 2 h late = 50%
    assert card_at(t, policy, local(2026, 11, 23, 16, 31)).level == "red"


def test_bad_sla_configuration_is_refused():
    with pytest.raises(ValueError):
        SlaConfig(accept="4 hours", finish="3d")
    with pytest.raises(ValueError):
        SlaConfig(accept="4h", finish="3d", yellow_before="150%")
    with pytest.raises(ValueError):
        SlaConfig(accept="25%", finish="3d")
    with pytest.raises(ValueError):
        CalendarConfig(periods=["13:30-17:30", "08:30-12:00"])
    with pytest.raises(ValueError):
        TasksConfig(default_priority="whenever")


def test_finish_deadline_over_a_long_holiday():
    # low priority: 10 working days from Monday 28 September 2026: 28-30 Sep, skip 1-7 Oct, 8-10 Oct (Saturday 10
    # is a make-up day), 12-15 Oct
    _accept, finish = POLICY.deadlines("low", local(2026, 9, 28, 8, 30))
    assert finish == local(2026, 10, 15, 17, 30)
    assert finish - local(2026, 9, 28, 8, 30) > timedelta(days=15)
