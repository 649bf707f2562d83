"""城市运行驾驶舱 — City Operations Cockpit."""

__version__ = "0.1.0"
