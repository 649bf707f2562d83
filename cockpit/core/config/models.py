"""The root configuration model: one city's deployment."""

from __future__ import annotations

from pydantic import Field

from cockpit.core.config.alerts import AlertsConfig, PlanConfig
from cockpit.core.config.base import Model
from cockpit.core.config.data import DatasetConfig, SourceConfig
from cockpit.core.config.identity import AreaConfig, CityConfig, UnitConfig
from cockpit.core.config.indicators import IndicatorConfig
from cockpit.core.config.layout import LayoutsConfig
from cockpit.core.config.notifications import NotificationsConfig
from cockpit.core.config.reports import ReportsConfig
from cockpit.core.config.runtime import (
    BackupConfig,
    DatabaseConfig,
    I18nConfig,
    MapConfig,
    SchedulerConfig,
    ServerConfig,
)
from cockpit.core.config.security import SecurityConfig
from cockpit.core.config.simulator import SimulatorConfig
from cockpit.core.config.tasks import TasksConfig


class Config(Model):
    """Everything a deployment configures. Each section is documented in docs/configuration.md."""

    city: CityConfig
    server: ServerConfig = Field(default_factory=ServerConfig)
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    i18n: I18nConfig = Field(default_factory=I18nConfig)
    map: MapConfig = Field(default_factory=MapConfig)
    scheduler: SchedulerConfig = Field(default_factory=SchedulerConfig)
    security: SecurityConfig = Field(default_factory=SecurityConfig)
    backup: BackupConfig = Field(default_factory=BackupConfig)
    areas: list[AreaConfig] = Field(min_length=1, description="The city, its districts and streets")
    units: list[UnitConfig] = Field(default_factory=list, description="Departments; centers are added per area")
    datasets: dict[str, DatasetConfig] = Field(default_factory=dict)
    sources: dict[str, SourceConfig] = Field(default_factory=dict)
    indicators: dict[str, IndicatorConfig] = Field(default_factory=dict)
    layouts: LayoutsConfig = Field(default_factory=LayoutsConfig)
    tasks: TasksConfig = Field(default_factory=TasksConfig)
    reports: ReportsConfig = Field(default_factory=ReportsConfig)
    notifications: NotificationsConfig = Field(default_factory=NotificationsConfig)
    simulator: SimulatorConfig | None = Field(
        default=None, description="The simulated city played by `cockpit demo` / `cockpit simulate` (演示数据)")
    alerts: AlertsConfig = Field(default_factory=AlertsConfig)
    plans: dict[str, PlanConfig] = Field(default_factory=dict, description="Emergency plans (预案) by id")

    def area(self, code: str) -> AreaConfig | None:
        """The configured area with this code, if any."""
        return next((a for a in self.areas if a.code == code), None)
