"""Built-in connector kinds; importing this package registers them."""

from connectors.kinds import file_drop, http_json, manual_form, mqtt, sql  # noqa: F401
