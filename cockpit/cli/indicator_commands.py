"""`cockpit evaluate` and `cockpit indicators list|show`."""

from __future__ import annotations

import json
from datetime import datetime

import click

from cockpit import bootstrap
from cockpit.core.config import load_config
from indicators import engine, queries


def register(cli: click.Group) -> None:
    """Add the indicator commands to `cli`."""

    @cli.command("evaluate")
    @click.option("--indicator", "indicator_ids", multiple=True, help="指标 id，可多次 / indicator id (repeatable)")
    @click.option("--since", default=None, help="从此时刻起全部重算 (ISO 时间) / recompute every period from T")
    @click.option("--full", is_flag=True, help="全量重算 / recompute everything")
    @click.pass_obj
    def evaluate(obj: dict, indicator_ids: tuple[str, ...], since: str | None, full: bool) -> None:
        """计算指标（增量）/ Evaluate indicators (incrementally)."""
        rt = bootstrap.open_runtime(obj["config_path"])
        since_at = _instant(since) if since else None
        try:
            report = engine.evaluate(rt.db, rt.config, rt.clock.now(), list(indicator_ids) or None, full, since_at)
        except KeyError as exc:
            raise click.ClickException(str(exc.args[0])) from None
        for iid, mode in report.modes.items():
            click.echo(f"{iid:<36}{mode:<32}{report.rows[iid]}")

    @cli.group("indicators")
    def indicators() -> None:
        """指标体系 / The indicator catalog."""

    @indicators.command("list")
    @click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
    @click.pass_obj
    def list_(obj: dict, as_json: bool) -> None:
        """列出指标 / List indicators."""
        config = load_config(obj["config_path"], extra_checks=bootstrap.CONFIG_CHECKS)
        rows = [{"id": iid, "name": i.name, "domain": i.domain, "unit": i.unit, "dataset": i.dataset,
                 "measure": i.measure.type, "grains": i.grains, "owner": i.owner, "target": i.target}
                for iid, i in config.indicators.items()]
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for r in rows:
                click.echo(f"{r['id']:<34}{r['domain']:<8}{r['measure']:<14}{r['name']}")

    @indicators.command("show")
    @click.argument("indicator_id")
    @click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
    @click.pass_obj
    def show(obj: dict, indicator_id: str, as_json: bool) -> None:
        """显示指标定义 / Show an indicator's definition."""
        config = load_config(obj["config_path"], extra_checks=bootstrap.CONFIG_CHECKS)
        if indicator_id not in config.indicators:
            raise click.ClickException(f"未知指标 / unknown indicator: {indicator_id}")
        ind = config.indicators[indicator_id]
        body = {"id": indicator_id, **ind.model_dump(mode="json", by_alias=True, exclude_none=True),
                "version": ind.version, "used_in": queries.usages(config, indicator_id)}
        if as_json:
            click.echo(json.dumps(body, ensure_ascii=False, indent=2))
        else:
            click.echo(f"{indicator_id}  {ind.name}  [{ind.domain}]  {ind.unit}\n{ind.definition or ''}")


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"不是 ISO 时间 / not an ISO time: {text}") from None
    if value.tzinfo is None:
        raise click.BadParameter("时间须带时区，如 2025-03-01T00:00+08:00 / the time needs a UTC offset")
    return value
