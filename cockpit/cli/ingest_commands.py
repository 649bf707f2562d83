"""`cockpit ingest [--source ID] [--once]` and `cockpit sources list [--json]`."""

from __future__ import annotations

import contextlib
import json
import logging
from datetime import UTC, datetime

import click

from cockpit import bootstrap
from connectors.health import source_health
from connectors.jobs import jobs
from connectors.reprocess import reprocess_quarantine
from connectors.runner import ingest

log = logging.getLogger(__name__)


def register(cli: click.Group) -> None:
    """Add the ingest commands to `cli`."""

    @cli.command("ingest")
    @click.option("--source", "source_id", default=None, help="只运行此数据源 / run only this source")
    @click.option("--once", is_flag=True, help="运行一次后退出 / run once and exit")
    @click.pass_obj
    def ingest_cmd(obj: dict, source_id: str | None, once: bool) -> None:
        """从数据源采集数据 / Ingest from the configured sources (on their schedules unless --once)."""
        rt = bootstrap.open_runtime(obj["config_path"])
        if source_id is not None and source_id not in rt.config.sources:
            raise click.ClickException(f"未知数据源 / unknown source: {source_id}")
        if once:
            results = ingest(rt.db, rt.config, rt.clock, source_id)
            for r in results:
                line = f"{r.source_id}\t{r.status}\tread={r.rows_read}\tloaded={r.rows_loaded}\t" \
                       f"quarantined={r.rows_quarantined}"
                click.echo(line + (f"\t{r.error_kind}: {r.error}" if r.error else ""))
            if any(r.status != "ok" for r in results):
                raise SystemExit(1)
            return
        from apscheduler.schedulers.blocking import BlockingScheduler

        scheduler = BlockingScheduler(job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": 300})
        for job in jobs(rt.config, rt.db, rt.clock):
            if source_id and job.id != f"ingest:{source_id}":
                continue
            scheduler.add_job(job.func, job.trigger, id=job.id, name=job.id, jitter=job.jitter_seconds,
                              next_run_time=datetime.now(UTC), **job.trigger_args)  # now, then on the schedule
        log.info("ingest running with %d sources; Ctrl+C to stop", len(scheduler.get_jobs()))
        with contextlib.suppress(KeyboardInterrupt, SystemExit):
            scheduler.start()

    @cli.group("sources")
    def sources() -> None:
        """数据源 / Data sources."""

    @sources.command("list")
    @click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
    @click.pass_obj
    def list_(obj: dict, as_json: bool) -> None:
        """列出数据源及其状态 / List sources with their health."""
        rt = bootstrap.open_runtime(obj["config_path"])
        rows = source_health(rt.db, rt.config, rt.clock.now())
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for r in rows:
            state = "失败" if r["failing"] else ("正常" if r["last_success"] else "未运行")
            click.echo(f"{r['id']:<20}{r['kind']:<11}{state:<5}{r['last_success'] or '-':<34}"
                       f"loaded={r['rows_loaded_today']:<8}quarantined={r['rows_quarantined_today']:<6}"
                       f"{r['last_error'] or ''}")

    @sources.command("reprocess")
    @click.argument("source_id")
    @click.pass_obj
    def reprocess(obj: dict, source_id: str) -> None:
        """修正配置后重新处理隔离数据 / Re-process quarantined rows after a configuration fix."""
        rt = bootstrap.open_runtime(obj["config_path"])
        if source_id not in rt.config.sources:
            raise click.ClickException(f"未知数据源 / unknown source: {source_id}")
        r = reprocess_quarantine(rt.db, rt.config, source_id, rt.clock)
        click.echo(f"{source_id}\tloaded={r.loaded}\tstill_bad={r.still_bad}\tnot_rows={r.not_rows}")
