"""Configuration of task dispatch: routing (domain × area → unit), SLA per priority, working calendar, cards."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import Field, field_validator, model_validator

from cockpit.core.config.base import Model

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*([hd])$")
_PERCENT = re.compile(r"^\d+(?:\.\d+)?%$")
_PERIOD = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


def duration_hours(text: str, hours_per_day: float) -> float:
    """`"4h"` → 4.0, `"3d"` → 3 × hours_per_day (a day is one working day's worth of hours)."""
    match = _DURATION.match(text.strip())
    if not match:
        raise ValueError(f"duration {text!r} must look like 4h or 3d")
    value, unit = float(match.group(1)), match.group(2)
    return value if unit == "h" else value * hours_per_day


def _check_duration(value: str) -> str:
    if not _DURATION.match(value.strip()):
        raise ValueError(f"duration {value!r} must look like 4h (hours) or 3d (days)")
    return value.strip()


def _check_margin(value: str) -> str:
    text = value.strip()
    if _PERCENT.match(text):
        if not 0 < float(text[:-1]) <= 100:
            raise ValueError(f"percentage {value!r} must be above 0 and at most 100")
        return text
    return _check_duration(text)


def margin_hours(text: str, window_hours: float, hours_per_day: float) -> float:
    """A card margin in hours: a duration (`2h`, `1d`) or a share of the task's time window (`25%`)."""
    if _PERCENT.match(text.strip()):
        return window_hours * float(text.strip()[:-1]) / 100
    return duration_hours(text, hours_per_day)


class RouteConfig(Model):
    """One routing rule: tasks of `domain` in `area` (and everything inside it) go to `unit`."""

    domain: str = Field(min_length=1, description="Indicator domain, e.g. 生态环保")
    area: str | None = Field(default=None, description="Area code the rule covers (its subtree); absent for all")
    unit: str = Field(description="Responsible unit id; `center` means the area's own command center")


class SlaConfig(Model):
    """Deadlines and card margins of one priority."""

    accept: str = Field(description="Time to sign for (签收时限), e.g. 2h or 1d")
    finish: str = Field(description="Time to finish (办结时限), e.g. 3d")
    calendar: Literal["working", "natural"] = Field(
        default="working", description="`working` counts working hours only; `natural` counts round the clock"
    )
    yellow_before: str = Field(
        default="25%", description="Yellow card this long before the deadline: a duration or a share of the time given"
    )
    red_after: str = Field(
        default="50%", description="Red card this long after the deadline: a duration or a share of the time given"
    )

    @field_validator("accept", "finish")
    @classmethod
    def _durations(cls, value: str) -> str:
        return _check_duration(value)

    @field_validator("yellow_before", "red_after")
    @classmethod
    def _margins(cls, value: str) -> str:
        return _check_margin(value)


def _default_sla() -> dict[str, SlaConfig]:
    return {
        "urgent": SlaConfig(accept="0.5h", finish="4h", calendar="natural"),
        "high": SlaConfig(accept="2h", finish="1d"),
        "normal": SlaConfig(accept="4h", finish="3d"),
        "low": SlaConfig(accept="1d", finish="10d"),
    }


class CalendarConfig(Model):
    """Working time: daily periods plus the Chinese holiday calendar (法定节假日与调休)."""

    periods: list[str] = Field(
        default_factory=lambda: ["08:30-12:00", "13:30-17:30"],
        description="Working periods of a working day, local time, HH:MM-HH:MM",
    )
    extra_holidays: list[date] = Field(
        default_factory=list, description="Extra days off (e.g. a year the holiday package does not know yet)"
    )
    extra_workdays: list[date] = Field(default_factory=list, description="Extra working days (调休上班)")

    @field_validator("periods")
    @classmethod
    def _periods(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("at least one working period is needed")
        last = -1
        for text in value:
            m = _PERIOD.match(text)
            if not m:
                raise ValueError(f"period {text!r} must look like 08:30-12:00")
            start, end = int(m.group(1)) * 60 + int(m.group(2)), int(m.group(3)) * 60 + int(m.group(4))
            if not last <= start < end:
                raise ValueError(f"periods must be increasing and non-empty: {text!r}")
            last = end
        return value


class AttachmentConfig(Model):
    """Evidence files attached to tasks."""

    max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, description="Largest accepted file")


class TasksConfig(Model):
    """Task dispatch and supervision (任务督办)."""

    routing: list[RouteConfig] = Field(
        default_factory=list, description="Domain × area → responsible unit; the most specific area wins"
    )
    sla: dict[str, SlaConfig] = Field(default_factory=_default_sla, description="Deadlines per priority")
    default_priority: str = Field(default="normal", description="Priority when none is given")
    calendar: CalendarConfig = Field(default_factory=CalendarConfig, description="Working time for `working` SLAs")
    attachments: AttachmentConfig = Field(default_factory=AttachmentConfig, description="Evidence file limits")
    leader_dispatch_unit: str | None = Field(
        default=None, description="Dispatching unit of tasks issued by users without a unit (leaders' 批示)"
    )
    card_check_minutes: int = Field(default=5, ge=1, description="How often the SLA clock issues cards")

    @model_validator(mode="after")
    def _default_priority_known(self) -> TasksConfig:
        if self.default_priority not in self.sla:
            raise ValueError(f"default_priority {self.default_priority!r} is not a key of sla")
        return self
