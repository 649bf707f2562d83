"""Configuration of the city itself: its areas (city → district → street) and its units."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from cockpit.core.config.base import Model

AreaLevel = Literal["city", "district", "street"]
CODE_LENGTH = {"city": 6, "district": 6, "street": 9}


class AreaConfig(Model):
    """One area, identified by its official division code (民政部行政区划代码)."""

    code: str = Field(description="Division code: 6 digits for city and county level, 9 for streets/townships")
    name: str = Field(min_length=1, description="Official name, e.g. 海陵区")
    level: AreaLevel
    parent: str | None = Field(default=None, description="Code of the parent area; absent for the city")
    kind: Literal["urban_district", "county_city", "county"] | None = Field(
        default=None, description="Peer group of a district, used for fair rankings"
    )
    population: int | None = Field(default=None, ge=0, description="Resident population, when known")

    @model_validator(mode="after")
    def _code_fits_level(self) -> AreaConfig:
        if not re.fullmatch(r"\d+", self.code) or len(self.code) != CODE_LENGTH[self.level]:
            raise ValueError(f"code {self.code!r} must be {CODE_LENGTH[self.level]} digits for level {self.level}")
        if self.level == "city" and self.parent is not None:
            raise ValueError("the city has no parent")
        if self.level != "city" and not self.parent:
            raise ValueError(f"a {self.level} needs a parent")
        return self


UnitKind = Literal["department", "district_center", "street_center"]


class UnitConfig(Model):
    """A unit that receives tasks: a city department (委办局) or a command center."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable ASCII id, e.g. dept_chengguan")
    name: str = Field(min_length=1, description="Full name, e.g. 泰州市城市管理局")
    short: str | None = Field(default=None, description="Short name for tight spaces, e.g. 城管局")
    kind: UnitKind = "department"
    area: str = Field(description="Code of the area the unit serves")
    domains: list[str] = Field(default_factory=list, description="Domains the unit is responsible for")


class CityConfig(Model):
    """The deployment's city."""

    name: str = Field(description="City name shown in the shell, e.g. 泰州市")
    code: str = Field(pattern=r"^\d{6}$", description="6-digit division code of the city")
    timezone: str = Field(default="Asia/Shanghai", description="IANA time zone for display and day boundaries")
    demo: bool = Field(default=False, description="Label every figure as simulated (演示数据)")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value
