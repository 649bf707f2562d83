"""Configuration of what people see: topic pages (专题), the cockpit's domain tiles and the big screen."""

from __future__ import annotations

from pydantic import Field

from cockpit.core.config.base import Model


class TopicSection(Model):
    """A block of a topic page: a heading and the indicators under it."""

    title: str = Field(description="Chinese heading, e.g. 交通出行")
    indicators: list[str] = Field(min_length=1, description="Indicator ids shown in this block")


class TopicConfig(Model):
    """A thematic page (专题) defined in configuration alone: a new topic is YAML, no code."""

    title: str = Field(description="Chinese title, e.g. 防汛防台")
    description: str = Field(default="", description="One line under the title")
    icon: str = Field(default="grid-3x3-gap", description="Bootstrap icon name")
    indicators: list[str] = Field(default_factory=list, description="Indicator ids shown on the page")
    sections: list[TopicSection] = Field(default_factory=list,
                                         description="Blocks of indicators (shown after `indicators`)")
    trend: str | None = Field(default=None, description="Indicator whose trend is drawn large on the page")
    screen: bool = Field(default=True, description="Part of the big-screen rotation")

    def all_indicators(self) -> list[str]:
        """Every indicator id the topic shows, in page order, without repeats."""
        seen: list[str] = []
        for iid in [*self.indicators, *(i for s in self.sections for i in s.indicators)]:
            if iid not in seen:
                seen.append(iid)
        return seen


class ScreenConfig(Model):
    """The big screen (大屏): what it rotates through and how fast."""

    rotate_seconds: int = Field(default=30, ge=5, description="Seconds each view stays on the wall")
    refresh_seconds: int = Field(default=30, ge=5, description="Seconds between data-version polls")
    overview: bool = Field(default=True, description="Start the rotation with the city overview")


class LayoutsConfig(Model):
    """Pages that are configuration, not code."""

    topics: dict[str, TopicConfig] = Field(default_factory=dict)
    index_indicator: str = Field(default="city.vital_index",
                                 description="The 城市运行体征指数 shown first on every cockpit")
    domain_keys: dict[str, str] = Field(
        default_factory=dict,
        description="Domain → the indicator its cockpit tile shows; the domain's first indicator with a target "
                    "when absent")
    screen: ScreenConfig = Field(default_factory=ScreenConfig)
