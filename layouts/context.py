"""What pages and callbacks read: the services of the running app, reached through Flask's app context."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from cockpit.core.clock import Clock
from cockpit.core.config import Config
from cockpit.core.db import Database


@dataclass(frozen=True)
class Services:
    """The running app's configuration, database, clock and form-signing secret."""

    config: Config
    db: Database
    clock: Clock
    secret: bytes


EXTENSION_KEY = "cockpit"


def services() -> Services:
    """The services of the app handling this request."""
    return current_app.extensions[EXTENSION_KEY]
