"""`cockpit check` and `cockpit config-reference`."""

from __future__ import annotations

import click

from cockpit import bootstrap
from cockpit.core.config.reference import reference_markdown


def register(cli: click.Group) -> None:
    """Add the core commands to `cli`."""

    @cli.command("check")
    @click.pass_obj
    def check(obj: dict) -> None:
        """校验配置（不启动）/ Validate the configuration without starting."""
        config = bootstrap.check(obj["config_path"])
        click.echo(f"配置有效 / configuration valid: {obj['config_path']} "
                   f"({len(config.areas)} areas, {len(config.units)} units, {len(config.sources)} sources, "
                   f"{len(config.indicators)} indicators)")

    @cli.command("config-reference")
    def config_reference() -> None:
        """输出配置参考文档 / Print the configuration reference (Markdown)."""
        click.echo(reference_markdown(), nl=False)
