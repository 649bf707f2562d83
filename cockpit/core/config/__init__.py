"""Deployment configuration: YAML with includes and ${ENV} secrets, validated by pydantic models."""

from cockpit.core.config.errors import ConfigInvalid, ConfigIssue
from cockpit.core.config.loader import load_config
from cockpit.core.config.models import Config

__all__ = ["Config", "ConfigInvalid", "ConfigIssue", "load_config"]
