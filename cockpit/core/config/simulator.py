"""Configuration of the simulated city (`cockpit simulate`, started by `cockpit demo`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr

from cockpit.core.config.base import Model

SystemName = Literal["hotline", "grid", "gov_services", "air_quality", "video", "water", "traffic",
                     "emergency", "health", "business", "data_catalog", "township_form"]
ALL_SYSTEMS: tuple[str, ...] = SystemName.__args__  # type: ignore[attr-defined]


class ExchangeDbConfig(Model):
    """The exchange database (前置库) the simulated departments write into."""

    driver: Literal["sqlite", "postgresql", "mysql"] = Field(
        default="sqlite", description="sqlite: a file in the simulator folder; postgresql/mysql: a server")
    database: str = Field(default="exchange.sqlite",
                          description="SQLite file (relative to the simulator folder) or database name")
    host: str = "127.0.0.1"
    port: int | None = Field(default=None, description="Defaults to the driver's usual port")
    user: str | None = None
    password: SecretStr | None = Field(default=None, description="Use ${ENV} in the configuration")


class SimulatorConfig(Model):
    """The simulated government systems of the demo city (演示数据). Ports listen on 127.0.0.1 only."""

    enabled: bool = Field(default=True, description="Start the simulated city with `cockpit demo`")
    seed: int = Field(default=20260101, description="Seed of every random draw: the same seed plays the same city")
    speed: float = Field(default=1.0, gt=0, le=3600,
                         description="Simulated seconds per real second; above 1 the demo runs ahead of the wall "
                                     "clock (the cockpit started by `cockpit demo` then shares the simulated clock)")
    tick_seconds: float = Field(default=30.0, gt=0, description="Real seconds between two live steps")
    history_days: int = Field(default=400, ge=0, le=1500,
                              description="Days of history generated at the first start (≥ 366 for 同比)")
    scale: float = Field(default=1.0, gt=0, le=20,
                         description="Multiplies event volumes (hotline, grid, incidents); 1 = the documented demo volumes")
    folder: str = Field(default="data/simulator",
                        description="Where the simulated systems keep their stores and drop files, relative to "
                                    "the working directory")
    http_port: int = Field(default=8061, ge=1, le=65535,
                           description="Port of the simulated data APIs (12345, video platform, traffic) and "
                                       "of the drill control endpoint, on 127.0.0.1")
    mqtt_host: str | None = Field(default=None,
                                  description="MQTT broker for the air-quality stations; without one they drop "
                                              "GBK CSV files")
    mqtt_port: int = Field(default=1883, ge=1, le=65535)
    exchange: ExchangeDbConfig = Field(default_factory=ExchangeDbConfig,
                                       description="Where grid, hydrology, emergency and statistics systems write")
    systems: list[SystemName] = Field(default_factory=lambda: list(ALL_SYSTEMS),
                                      description="Which simulated systems run")
    initial_ingest: bool = Field(default=True,
                                 description="`cockpit demo`: ingest every source and evaluate the indicators once "
                                             "right after the history is generated")
