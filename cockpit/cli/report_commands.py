"""`cockpit report daily|weekly|monthly [--area ID] --date D --out DIR` and `cockpit report list`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from cockpit import bootstrap
from cockpit.core.i18n import use_locale
from cockpit.reports import archive, briefing
from cockpit.reports.periods import KINDS, period_of


def register(cli: click.Group) -> None:
    """Add the report commands to `cli`."""

    @cli.command("report")
    @click.argument("kind", type=click.Choice(KINDS))
    @click.option("--area", default=None, help="区域代码（默认全市）/ area code (default: the city)")
    @click.option("--date", "day", required=True, type=click.DateTime(["%Y-%m-%d"]),
                  help="期内任一日 / any day of the period, YYYY-MM-DD")
    @click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
                  help="输出目录 / output folder")
    @click.option("--archive", "keep", is_flag=True, help="同时存入简报库 / also keep it in the briefing archive")
    @click.pass_obj
    def report(obj: dict, kind: str, area: str | None, day, out: Path, keep: bool) -> None:
        """生成日报、周报或月报（HTML、PDF、XLSX）/ Write a daily, weekly or monthly briefing as HTML, PDF, XLSX."""
        rt = bootstrap.open_runtime(obj["config_path"])
        config = rt.config
        area = area or config.city.code
        if config.area(area) is None:
            raise click.ClickException(f"未知区域 / unknown area {area}")
        on: date = day.date()
        period = period_of(kind, on, config.city.timezone)
        with use_locale(config.i18n.default_locale):
            numbers = briefing.build(rt.db, config, period, area)
        stem = archive.briefing_id(period, area)
        paths = archive.write_files(numbers, out, stem, config.i18n.default_locale)
        if keep:
            archive.generate(rt.db, config, rt.data_dir, kind, area, on, rt.clock, generated_by="cli")
        for fmt in ("html", "pdf", "xlsx"):
            click.echo(str(paths[fmt]))
