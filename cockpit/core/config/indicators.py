"""Configuration of the indicator catalog (分类指标体系)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from cockpit.core.config.base import Model

DOMAINS = ("政务服务", "12345热线", "基层治理", "公共安全", "生态环保", "交通出行", "应急管理", "公共卫生", "营商环境", "数据治理")


class IndicatorConfig(Model):
    """One indicator: what it measures, on which data, and what counts as good."""

    name: str = Field(description="Chinese name, e.g. 12345工单按时办结率")
    domain: Literal[DOMAINS] = Field(description="Domain the indicator belongs to")  # type: ignore[valid-type]
    unit: str = Field(default="", description="Display unit, e.g. %")
    dataset: str | None = Field(default=None, description="Dataset the measure reads")
    direction: Literal["higher_better", "lower_better", "band", "volume"] = "higher_better"
    target: float | None = None
    owner: str | None = Field(default=None, description="Unit id responsible for the indicator")
    definition: str | None = Field(default=None, description="口径: how the figure is defined")
