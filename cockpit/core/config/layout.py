"""Configuration of what people see: role homes and topic pages."""

from __future__ import annotations

from pydantic import Field

from cockpit.core.config.base import Model


class TopicConfig(Model):
    """A thematic page (专题) defined in configuration alone."""

    title: str = Field(description="Chinese title, e.g. 防汛防台")
    indicators: list[str] = Field(default_factory=list, description="Indicator ids shown on the page")


class LayoutsConfig(Model):
    """Pages that are configuration, not code."""

    topics: dict[str, TopicConfig] = Field(default_factory=dict)
