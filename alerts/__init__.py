"""Alerts: the warning lifecycle, emergency plans and notifications."""
