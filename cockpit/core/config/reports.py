"""Configuration of briefings (一日一告知、一周一通报、月报) and the 晾晒台 ranking board."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from cockpit.core.config.base import Model

BriefingKind = Literal["daily", "weekly", "monthly"]
Metric = Literal["task_on_time_rate", "warning_response_hours", "indicator_attainment", "form_reporting_rate",
                 "overdue_per_100k"]
Subject = Literal["district", "department"]

# Which subjects a metric can rank: per-capita volumes and forms belong to areas, not to departments.
METRIC_SUBJECTS: dict[str, set[str]] = {
    "task_on_time_rate": {"district", "department"},
    "warning_response_hours": {"district", "department"},
    "indicator_attainment": {"district", "department"},
    "form_reporting_rate": {"district"},
    "overdue_per_100k": {"district"},
}


class ScheduleConfig(Model):
    """When a briefing is generated: an APScheduler cron in the city's time zone (the previous period is covered)."""

    enabled: bool = Field(default=True, description="Generate this briefing on its schedule inside `cockpit serve`")
    day: str | None = Field(default=None, description="Cron day of month, e.g. `1` for monthly briefings")
    day_of_week: str | None = Field(default=None, description="Cron day of week, e.g. `mon` for weekly briefings")
    hour: int = Field(default=7, ge=0, le=23, description="Local hour")
    minute: int = Field(default=30, ge=0, le=59, description="Minute")

    def cron(self) -> dict:
        """The APScheduler cron trigger arguments."""
        args: dict = {"hour": self.hour, "minute": self.minute}
        if self.day is not None:
            args["day"] = self.day
        if self.day_of_week is not None:
            args["day_of_week"] = self.day_of_week
        return args


def _default_schedules() -> dict[str, ScheduleConfig]:
    return {"daily": ScheduleConfig(hour=7, minute=30),
            "weekly": ScheduleConfig(day_of_week="mon", hour=8, minute=0),
            "monthly": ScheduleConfig(day="1", hour=8, minute=30)}


class CriterionConfig(Model):
    """One ranking criterion of the 晾晒台."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id, e.g. on_time")
    metric: Metric = Field(description="What is measured (a closed list; nothing is evaluated)")
    subjects: list[Subject] = Field(default_factory=lambda: ["district", "department"],
                                    description="Who is ranked by it")
    min_sample: int | None = Field(default=None, ge=1,
                                   description="Fewer cases than this: listed as 样本不足, not ranked "
                                               "(default: rankings.min_sample)")

    @model_validator(mode="after")
    def _subjects_fit_metric(self) -> CriterionConfig:
        wrong = [s for s in self.subjects if s not in METRIC_SUBJECTS[self.metric]]
        if wrong:
            raise ValueError(f"metric {self.metric} cannot rank {', '.join(wrong)}")
        return self


def _default_criteria() -> list[CriterionConfig]:
    return [CriterionConfig(id="on_time", metric="task_on_time_rate"),
            CriterionConfig(id="warning_response", metric="warning_response_hours"),
            CriterionConfig(id="attainment", metric="indicator_attainment"),
            CriterionConfig(id="form_reporting", metric="form_reporting_rate", subjects=["district"]),
            CriterionConfig(id="overdue_per_capita", metric="overdue_per_100k", subjects=["district"])]


class RankingsConfig(Model):
    """The 晾晒台: districts and departments ranked fairly by configured criteria."""

    criteria: list[CriterionConfig] = Field(default_factory=_default_criteria, min_length=1,
                                            description="Criteria, in display order")
    min_sample: int = Field(default=5, ge=1, description="Default minimum number of cases to be ranked")
    peer_groups: dict[str, str] = Field(
        default_factory=dict,
        description="District kind → peer-group name (e.g. `urban_district: 市区`); districts are ranked within "
                    "their group; empty ranks all districts together")

    @model_validator(mode="after")
    def _unique_ids(self) -> RankingsConfig:
        ids = [c.id for c in self.criteria]
        if len(ids) != len(set(ids)):
            raise ValueError("criterion ids must be unique")
        return self


class ReportsConfig(Model):
    """Briefings: what they contain, who issues them, when they are generated and where files are kept."""

    issuer: str = Field(default="城市运行管理中心", description="Issuing body printed in the red title band")
    headline: list[str] = Field(default_factory=list,
                                description="Indicator ids of the headline figures, in order (同比/环比 shown)")
    folder: str = Field(default="briefings", description="Folder of generated files, relative to the data directory")
    areas: Literal["city", "city_and_districts"] = Field(
        default="city_and_districts", description="Scheduled briefings: the city only, or the city and each district")
    public: bool = Field(default=True, description="City-wide briefings may be read by district users")
    schedules: dict[BriefingKind, ScheduleConfig] = Field(default_factory=_default_schedules,
                                                          description="Cron schedule per briefing kind")
    rankings: RankingsConfig = Field(default_factory=RankingsConfig)
