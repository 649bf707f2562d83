"""The layouts tests use the indicator tests' deployment: the demo configuration and a migrated DuckDB file."""

from tests.indicators.conftest import config, db  # noqa: F401 - fixtures shared with the indicator tests
