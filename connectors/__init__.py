"""Connectors: ingest from government systems (file drop, exchange database, data API, MQTT, manual form)."""
