"""Fixtures of the indicator tests: the demo configuration and a migrated DuckDB file in tmp."""

from __future__ import annotations

import pytest

from cockpit import bootstrap
from cockpit.core import store
from cockpit.core.config import load_config
from cockpit.core.db import Database
from tests.conftest import write_config
from tests.indicators import data


@pytest.fixture(scope="session")
def config(tmp_path_factory):
    """The demo city's full configuration (datasets and indicators included)."""
    folder = tmp_path_factory.mktemp("cfg")
    return load_config(write_config(folder, core_only=False), extra_checks=bootstrap.CONFIG_CHECKS)


@pytest.fixture
def db(tmp_path, config):
    """A migrated database with the areas and empty dataset tables."""
    database = Database(tmp_path / "cockpit.duckdb")
    database.migrate(bootstrap.MIGRATIONS)
    store.sync_identity(database, config)
    data.create_tables(database, config)
    yield database
    database.close()
