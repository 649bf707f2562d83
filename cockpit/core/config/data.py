"""Configuration of datasets (the tables connectors fill) and sources (where their rows come from).

Kind-specific source settings are validated by the connector registry at start-up; here they stay a mapping.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from cockpit.core.config.base import Model

ColumnType = Literal["string", "integer", "float", "boolean", "date", "timestamp"]


class ColumnConfig(Model):
    """One column of a dataset."""

    type: ColumnType
    required: bool = Field(default=False, description="A row without this value is quarantined")
    description: str | None = None
    format: str | None = Field(
        default=None, description="strptime format for date/timestamp text, e.g. `%m/%d/%Y %I:%M:%S %p`"
    )


class DatasetConfig(Model):
    """A table that connectors write and indicators read."""

    name: str = Field(description="Chinese name of the dataset")
    columns: dict[str, ColumnConfig] = Field(min_length=1)
    primary_key: list[str] = Field(default_factory=list, description="Upsert key; required for `merge`")
    time: str | None = Field(default=None, description="Column holding the event time")
    area: str | None = Field(default=None, description="Column holding the area's division code")
    write: Literal["append", "replace", "merge"] = Field(default="merge", description="How new rows are written")
    timezone: str | None = Field(
        default=None, description="Zone of timestamps written without an offset; defaults to the city's"
    )
    null_values: list[str] = Field(
        default_factory=list, description="Texts that mean \"no value\" besides blanks, e.g. `NA`"
    )

    @model_validator(mode="after")
    def _columns_exist(self) -> DatasetConfig:
        for label, names in (("primary_key", self.primary_key), ("time", [self.time]), ("area", [self.area])):
            for name in names:
                if name is not None and name not in self.columns:
                    raise ValueError(f"{label} names unknown column {name!r}")
        if self.write == "merge" and not self.primary_key:
            raise ValueError("write: merge needs a primary_key")
        return self


class FreshnessConfig(Model):
    """When a source counts as late (warn) or broken (error, 数据断流)."""

    warn_after: str = Field(default="2h", pattern=r"^\d+[smhd]$")
    error_after: str = Field(default="6h", pattern=r"^\d+[smhd]$")


class SourceConfig(Model):
    """A department system the cockpit pulls from."""

    name: str = Field(description="Chinese name of the source system")
    kind: str = Field(description="Connector kind: file_drop, sql, http_json, mqtt, manual_form")
    dataset: str = Field(description="Dataset the rows are written to")
    owner: str | None = Field(default=None, description="Unit id of the department that owns the system")
    schedule: str = Field(default="15m", pattern=r"^\d+[smhd]$", description="How often to pull")
    enabled: bool = True
    freshness: FreshnessConfig = Field(default_factory=FreshnessConfig)
    lag: str = Field(default="0s", pattern=r"^\d+[smhd]$", description="Re-read this far behind the cursor for late rows")
    timeout: str = Field(default="5m", pattern=r"^\d+[smhd]$", description="A run that takes longer is stopped")
    settings: dict[str, Any] = Field(default_factory=dict, description="Kind-specific settings")
