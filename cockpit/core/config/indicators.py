"""Configuration of the indicator catalog (分类指标体系).

An indicator names a dataset, a measure built from a closed set of measure types and filter operators
(nothing is `eval`ed), the grains and area levels it is computed for, and one rule per warning level.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from cockpit.core.config.base import Model

DOMAINS = ("市域统筹", "政务服务", "12345热线", "基层治理", "公共安全", "生态环保", "交通出行", "应急管理", "公共卫生", "营商环境", "数据治理")
GRAINS = ("hour", "day", "week", "month", "year")
AREA_LEVELS = ("street", "district", "city")
LEVELS = ("blue", "yellow", "orange", "red")  # 蓝 IV 一般, 黄 III 较重, 橙 II 严重, 红 I 特别严重
FILTER_OPS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "is_null", "not_null")

Grain = Literal["hour", "day", "week", "month", "year"]
AreaLevel = Literal["street", "district", "city"]
Duration = Annotated[str, Field(pattern=r"^\d+[mhdw]$", description="A duration such as 15m, 2h, 1d, 1w")]
Scalar = str | int | float | bool

_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str) -> timedelta:
    """`"2h"` → timedelta(hours=2). Units: m, h, d, w."""
    match = re.fullmatch(r"(\d+)([mhdw])", text)
    if not match:
        raise ValueError(f"不是时长 / not a duration: {text!r}")
    return timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])


class Filter(Model):
    """One row condition: `column op value`, or `column op ref` comparing two columns."""

    column: str
    op: Literal[FILTER_OPS]  # type: ignore[valid-type]
    value: Scalar | list[Scalar] | None = None
    ref: str | None = Field(default=None, description="Compare with this column instead of a value")

    @model_validator(mode="after")
    def _operand(self) -> Filter:
        unary = self.op in ("is_null", "not_null")
        listy = self.op in ("in", "not_in")
        if unary and (self.value is not None or self.ref is not None):
            raise ValueError(f"{self.op} takes no value")
        if not unary and (self.value is None) == (self.ref is None):
            raise ValueError(f"{self.op} needs exactly one of value, ref")
        if listy and not isinstance(self.value, list):
            raise ValueError(f"{self.op} needs a list value")
        if not listy and isinstance(self.value, list):
            raise ValueError(f"{self.op} takes a single value")
        return self


class RowSet(Model):
    """The rows counted or summed: every filter must hold (AND)."""

    where: list[Filter] = Field(default_factory=list)
    column: str | None = Field(default=None, description="Sum this column instead of counting rows")


class CountMeasure(Model):
    """Number of rows."""

    type: Literal["count"]
    where: list[Filter] = Field(default_factory=list)


class DistinctCountMeasure(Model):
    """Number of distinct values of a column."""

    type: Literal["distinct_count"]
    column: str
    where: list[Filter] = Field(default_factory=list)


class SumMeasure(Model):
    """Sum of a column."""

    type: Literal["sum"]
    column: str
    where: list[Filter] = Field(default_factory=list)


class MeanMeasure(Model):
    """Mean of a column, stored as sum / count so that it rolls up exactly."""

    type: Literal["mean"]
    column: str
    where: list[Filter] = Field(default_factory=list)


class RatioMeasure(Model):
    """Numerator / denominator, each a filtered count (or sum), times `scale` (100 for %)."""

    type: Literal["ratio"]
    numerator: RowSet
    denominator: RowSet
    where: list[Filter] = Field(default_factory=list, description="Applies to both")
    scale: float = 100.0


class PercentileMeasure(Model):
    """Median (q = 0.5) or another percentile of a column, recomputed from rows at every level."""

    type: Literal["median", "percentile"]
    column: str
    q: float = Field(default=0.5, gt=0, lt=1)
    where: list[Filter] = Field(default_factory=list)


class LatestMeasure(Model):
    """The latest value of a column per entity (station, point), combined over the area's entities."""

    type: Literal["latest"]
    column: str
    entity: str = Field(description="Column naming the entity, e.g. station_id")
    combine: Literal["max", "min", "mean", "sum"] = "max"
    where: list[Filter] = Field(default_factory=list)


class WorkingDaysMeasure(Model):
    """Duration between two timestamps in Chinese working days (official holidays and make-up days)."""

    type: Literal["working_days"]
    start: str
    end: str
    stat: Literal["mean", "median", "percentile"] = "mean"
    q: float = Field(default=0.5, gt=0, lt=1)
    where: list[Filter] = Field(default_factory=list)


class AqiMeasure(Model):
    """Air quality index per HJ 633-2012 from pollutant concentration columns (µg/m³, CO mg/m³)."""

    type: Literal["aqi"]
    pollutants: dict[Literal["pm25", "pm10", "so2", "no2", "o3", "co"], str] = Field(
        description="Pollutant → column holding its concentration")
    where: list[Filter] = Field(default_factory=list)


class DerivedMeasure(Model):
    """A formula over other indicators' values for the same area and period, from a closed set of ops."""

    type: Literal["derived"]
    op: Literal["sum", "difference", "ratio", "product", "weighted_sum", "min", "max"]
    inputs: list[str] = Field(min_length=1)
    weights: list[float] | None = None
    scale: float = 1.0

    @model_validator(mode="after")
    def _shape(self) -> DerivedMeasure:
        if self.op in ("difference", "ratio") and len(self.inputs) != 2:
            raise ValueError(f"{self.op} needs exactly two inputs")
        if self.op == "weighted_sum" and (self.weights is None or len(self.weights) != len(self.inputs)):
            raise ValueError("weighted_sum needs one weight per input")
        return self


class CompositeMeasure(Model):
    """城市运行体征指数: the weighted mean of component scores (0–100); see indicators/composite.py."""

    type: Literal["composite"]
    components: dict[str, float] = Field(min_length=1, description="Indicator id → weight")


Measure = Annotated[
    CountMeasure | DistinctCountMeasure | SumMeasure | MeanMeasure | RatioMeasure | PercentileMeasure
    | LatestMeasure | WorkingDaysMeasure | AqiMeasure | DerivedMeasure | CompositeMeasure,
    Field(discriminator="type"),
]
ROW_MEASURES = ("count", "distinct_count", "sum", "mean", "ratio", "median", "percentile", "latest",
                "working_days", "aqi")


class ChangeRule(Model):
    """Rate of change: the value moved by more than `pct` percent (or `abs`) within `window`."""

    window: Duration
    pct: float | None = None
    abs: float | None = None
    direction: Literal["up", "down", "any"] = "any"


class BaselineRule(Model):
    """Deviation from the seasonal baseline: the mean of the same hour-of-week (or weekday) in history."""

    deviation_pct: float = Field(gt=0)
    match: Literal["hour_of_week", "hour_of_day", "weekday"] = "hour_of_week"
    history: Duration = "8w"
    min_history: int = Field(default=4, ge=1, description="Fewer matching past values → no signal")
    direction: Literal["up", "down", "any"] = "up"


class LevelRule(Model):
    """The rule of one warning level. Any condition that holds is a breach."""

    above: float | None = None
    below: float | None = None
    for_: Duration | None = Field(default=None, alias="for", description="How long the condition must hold")
    hysteresis: float | None = Field(default=None, ge=0, description="Clear only beyond the bound by this much")
    change: ChangeRule | None = None
    baseline: BaselineRule | None = None

    model_config = Model.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _some_condition(self) -> LevelRule:
        if self.above is None and self.below is None and self.change is None and self.baseline is None:
            raise ValueError("a level needs above, below, change or baseline")
        return self


class NoDataRule(Model):
    """When missing values become a no_data signal (never a silent zero)."""

    after: Duration = "2h"


class PublicationConfig(Model):
    """How late a slow government feed publishes: e.g. a daily figure at 10:00 the next working day."""

    lag: Duration = "0m"
    at: str | None = Field(default=None, pattern=r"^\d\d:\d\d$", description="Local publication time of day")
    working_days: bool = Field(default=False, description="Publication happens on working days only")


class DefinitionVersion(Model):
    """One version of the 口径, in force from `effective` (local date) until the next version."""

    version: int = Field(ge=1)
    effective: date
    definition: str
    measure: Measure | None = Field(default=None, description="Measure in force; the current one when absent")


class IndicatorConfig(Model):
    """One indicator: what it measures, on which data, and what counts as good."""

    name: str = Field(description="Chinese name, e.g. 12345工单按时办结率")
    domain: Literal[DOMAINS] = Field(description="Domain the indicator belongs to")  # type: ignore[valid-type]
    unit: str = Field(default="", description="Display unit, e.g. %")
    dataset: str | None = Field(default=None, description="Dataset the measure reads")
    time: str | None = Field(default=None, description="Time column; the dataset's time column when absent")
    area: str | None = Field(default=None, description="Area column; the dataset's area column when absent")
    measure: Measure | None = None
    grains: list[Grain] = Field(default_factory=lambda: ["day"], min_length=1)
    area_levels: list[AreaLevel] = Field(default_factory=lambda: ["street", "district", "city"], min_length=1)
    rule_grain: Grain | None = Field(default=None, description="Grain the level rules read; the first grain")
    direction: Literal["higher_better", "lower_better", "band", "volume"] = "higher_better"
    target: float | None = None
    levels: dict[Literal[LEVELS], LevelRule] = Field(default_factory=dict)  # type: ignore[valid-type]
    hysteresis: float = Field(default=0.0, ge=0, description="Default hysteresis of every level")
    no_data: NoDataRule | None = None
    owner: str | None = Field(default=None, description="Unit id responsible for the indicator")
    update_frequency: Duration = Field(default="1h", description="How often the source updates")
    publication: PublicationConfig = Field(default_factory=PublicationConfig)
    iso: str | None = Field(default=None, description="ISO 37120/37122/37123 reference, when one exists")
    definition: str | None = Field(default=None, description="口径: how the figure is defined")
    versions: list[DefinitionVersion] = Field(default_factory=list)

    @field_validator("versions")
    @classmethod
    def _ordered(cls, versions: list[DefinitionVersion]) -> list[DefinitionVersion]:
        if [v.effective for v in versions] != sorted(v.effective for v in versions):
            raise ValueError("versions must be in order of effective date")
        return versions

    @model_validator(mode="after")
    def _measure_needs_dataset(self) -> IndicatorConfig:
        if self.measure is None:
            raise ValueError("measure is required")
        if self.measure.type in ROW_MEASURES and self.dataset is None:
            raise ValueError(f"measure {self.measure.type} needs a dataset")
        return self

    @property
    def signal_grain(self) -> str:
        """The grain the level rules are evaluated on."""
        return self.rule_grain or self.grains[0]

    @property
    def version(self) -> int:
        """The current definition version (1 when none is declared)."""
        return self.versions[-1].version if self.versions else 1
