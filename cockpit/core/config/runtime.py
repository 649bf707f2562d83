"""Configuration of the running service: web server, sessions, database, language, maps."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr

from cockpit.core.config.base import Model

Locale = Literal["zh_CN", "en"]


class ServerConfig(Model):
    """The web server and its sessions."""

    host: str = Field(default="127.0.0.1", description="Address to listen on")
    port: int = Field(default=8050, ge=1, le=65535, description="Port to listen on")
    threads: int = Field(default=8, ge=1, le=64, description="WSGI worker threads")
    secret_key: SecretStr | None = Field(
        default=None, description="Signing key; when absent one is generated into the data directory"
    )
    session_idle_minutes: int = Field(default=30, ge=1, description="A session ends after this much inactivity")
    session_max_hours: int = Field(default=12, ge=1, description="A session ends this long after login")
    secure_cookies: bool = Field(default=False, description="Mark cookies Secure (set when served over HTTPS)")


class DatabaseConfig(Model):
    """Where the data lives."""

    path: str = Field(default="data/cockpit.duckdb", description="DuckDB file, relative to the working directory")


class I18nConfig(Model):
    """Languages offered to users."""

    default_locale: Locale = Field(default="zh_CN", description="Language for users who chose none")


class MapConfig(Model):
    """Base map. Without a tile URL the maps draw district boundaries only (isolated networks)."""

    tile_url: str | None = Field(
        default=None, description="Intranet tile server or 天地图 URL template with {z}/{x}/{y}"
    )
    tile_attribution: str | None = Field(default=None, description="Attribution shown for the tiles")
    boundaries: str = Field(
        default="assets/boundaries/taizhou_districts.geojson", description="GeoJSON of district boundaries"
    )


class SchedulerConfig(Model):
    """The in-process job scheduler."""

    enabled: bool = Field(default=True, description="Run scheduled jobs inside `cockpit serve`")
    timezone: str | None = Field(default=None, description="Defaults to the city's time zone")


class BackupConfig(Model):
    """Scheduled backups taken by the running server (数据备份恢复)."""

    enabled: bool = Field(default=True, description="Take a daily backup inside `cockpit serve`")
    folder: str = Field(default="backups", description="Backup folder, relative to the data directory")
    keep: int = Field(default=14, ge=1, description="How many daily backups to keep")
    hour: int = Field(default=2, ge=0, le=23, description="Local hour of the daily backup")


RoleName = Literal["leader", "center_operator", "duty_officer", "handler", "admin", "auditor"]
