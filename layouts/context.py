"""What pages and callbacks read: the services of the running app, reached through Flask's app context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

from cockpit.core.clock import Clock
from cockpit.core.config import Config
from cockpit.core.db import Database


@dataclass(frozen=True)
class Services:
    """The running app's configuration, database, clock, form-signing secret and the connectors' desk."""

    config: Config
    db: Database
    clock: Clock
    secret: bytes
    # connectors.desk.Desk (the 数据接入 and 一张表 pages), handed in by the composition root:
    # pages may not import connectors (import-linter), so they receive its services instead.
    ingest: Any = None
    # cockpit.demo.live.DrillControl when a simulated city runs (the drill panel of 系统管理), else None.
    drills: Any = None


EXTENSION_KEY = "cockpit"


def services() -> Services:
    """The services of the app handling this request."""
    return current_app.extensions[EXTENSION_KEY]
