"""Composition root: the `cockpit` command line. Help text is bilingual (Chinese / English)."""

from __future__ import annotations

import importlib
import logging
import sys

import click

from cockpit.core.config import ConfigInvalid
from cockpit.core.db import DatabaseBusy

# Each module defines `register(group)`; a room adds its commands by adding its module here.
COMMAND_MODULES = [
    "cockpit.cli.indicator_commands",
    "cockpit.cli.core_commands",
    "cockpit.cli.user_commands",
    "cockpit.cli.serve_commands",
    "cockpit.cli.task_commands",
    "cockpit.cli.warning_commands",
    "cockpit.cli.admin_commands",
    "cockpit.cli.ingest_commands",
    "cockpit.cli.simulate_commands",
    "cockpit.cli.report_commands",
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", default="config.yaml", show_default=True,
              envvar="COCKPIT_CONFIG", help="配置文件 / configuration file")
@click.option("-v", "--verbose", is_flag=True, help="详细日志 / verbose logging")
@click.pass_context
def cli(ctx: click.Context, config_path: str, verbose: bool) -> None:
    """城市运行驾驶舱 City Operations Cockpit — 命令行 / command line."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ctx.obj = {"config_path": config_path}


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(cli)


def main() -> None:
    """Entry point: run the CLI; an invalid configuration prints every issue and exits 2."""
    try:
        cli.main(standalone_mode=False)
    except ConfigInvalid as exc:
        click.echo(exc.report(), err=True)
        sys.exit(2)
    except DatabaseBusy as exc:
        click.echo(str(exc), err=True)
        sys.exit(3)
    except click.exceptions.Abort:
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
