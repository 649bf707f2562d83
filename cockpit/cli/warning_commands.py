"""`cockpit warnings list|ack|evaluate`, `cockpit silences add|list`, `cockpit rules backtest|apply|history`."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import click

from alerts import actions, backtest, levels, observe, queries, silences
from alerts import store as alert_store
from alerts.errors import AlertError
from alerts.reasons import render
from cockpit import bootstrap
from cockpit.core import store as core_store
from cockpit.core.config.indicators import parse_duration
from cockpit.core.i18n import _

STATES = ("pending", "firing", "acknowledged", "resolved")


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=lambda v: v.isoformat())


def _user(rt, user_id: str):
    account = core_store.user(rt.db, user_id)
    if account is None:
        raise click.ClickException(f"未知用户 / unknown user {user_id}")
    return account


def _fail(exc: AlertError):
    raise click.ClickException(_(exc.msgid, **exc.values)) from None


def _until(text: str, now: datetime) -> datetime:
    """`2h` / `1d` from now, or an ISO time (city-local when it has no offset)."""
    if re.fullmatch(r"\d+[mhdw]", text):
        return now + parse_duration(text)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r}: 2h / 1d / 2026-01-10T18:00") from None
    if value.tzinfo is None:
        from zoneinfo import ZoneInfo

        value = value.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    return value


def register(cli: click.Group) -> None:
    """Add the warning, silence and rule commands to `cli`."""

    @cli.group("warnings")
    def warnings() -> None:
        """预警 / Warnings."""

    @warnings.command("list")
    @click.option("--state", type=click.Choice(STATES), default=None, help="按状态筛选 / only this state")
    @click.option("--as", "as_user", default=None, help="按该用户的可见范围 / in this user's scope")
    @click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
    @click.pass_obj
    def list_(obj: dict, state: str | None, as_user: str | None, as_json: bool) -> None:
        """列出预警（严重、新的在前）/ List warnings, most severe and newest first."""
        rt = bootstrap.open_runtime(obj["config_path"])
        scope = _user(rt, as_user).area_code if as_user else rt.config.city.code
        frame = queries.warning_queue(rt.db, rt.config, scope, rt.clock.now(), state=state)
        rows = [{**r, "reason_text": render(r["reason"], r["reason_args"])} for r in frame.iter_rows(named=True)]
        for r in rows:
            r["reason_args"] = json.loads(r["reason_args"] or "{}")
            r.pop("timers", None)
        if as_json:
            click.echo(_json(rows))
            return
        for r in rows:
            click.echo(f"{r['warning_id']:<10}{r['level']:<8}{r['state']:<14}{r['area_code']:<11}{r['rule_id']:<34}"
                       f"{r['reason_text']}")

    @warnings.command("ack")
    @click.argument("warning_id")
    @click.option("--as", "as_user", required=True, help="确认人（值班员）/ the acknowledging officer")
    @click.option("--comment", default="", help="确认说明 / comment")
    @click.pass_obj
    def ack(obj: dict, warning_id: str, as_user: str, comment: str) -> None:
        """确认预警 / Acknowledge a firing warning."""
        rt = bootstrap.open_runtime(obj["config_path"])
        try:
            inst = actions.acknowledge(rt.db, _user(rt, as_user), warning_id, comment, rt.clock.now())
        except AlertError as exc:
            _fail(exc)
        click.echo(f"{inst.warning_id} {inst.state} ({inst.acknowledged_by})")

    @warnings.command("evaluate")
    @click.pass_obj
    def evaluate_(obj: dict) -> None:
        """立即评估一次预警 / Run one warning evaluation now."""
        rt = bootstrap.open_runtime(obj["config_path"])
        report = bootstrap.alert_evaluator(rt)()
        click.echo(_json({"observed": report.observed, "transitions": dict(report.transitions),
                          "rules_in_error": report.rules_in_error}))

    @cli.group("silences")
    def silences_() -> None:
        """静默（维护窗口）/ Silences (maintenance windows)."""

    @silences_.command("add")
    @click.option("--by", "by_user", required=True, help="设置人 / who sets it")
    @click.option("--reason", required=True, help="原因 / why")
    @click.option("--until", "until", required=True, help="截止（2h、1d 或时间）/ until (2h, 1d or a time)")
    @click.option("--source", default=None, help="数据源 / source id")
    @click.option("--indicator", default=None, help="指标 / indicator id")
    @click.option("--area", default=None, help="区域代码 / area code")
    @click.pass_obj
    def add(obj: dict, by_user: str, reason: str, until: str, source, indicator, area) -> None:
        """新增静默 / Add a silence."""
        rt = bootstrap.open_runtime(obj["config_path"])
        now = rt.clock.now()
        try:
            s = silences.add(rt.db, _user(rt, by_user), reason=reason, ends_at=_until(until, now), now=now,
                             source_id=source, indicator_id=indicator, area_code=area)
        except AlertError as exc:
            _fail(exc)
        click.echo(f"{s.silence_id} {s.ends_at.isoformat()}")

    @silences_.command("list")
    @click.option("--active", is_flag=True, help="仅生效中 / active only")
    @click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
    @click.pass_obj
    def list_silences(obj: dict, active: bool, as_json: bool) -> None:
        """列出静默及其屏蔽次数 / List silences with how much they suppressed."""
        rt = bootstrap.open_runtime(obj["config_path"])
        rows = [s.__dict__ for s in alert_store.silences(rt.db, rt.clock.now() if active else None)]
        if as_json:
            click.echo(_json(rows))
            return
        for s in rows:
            click.echo(f"{s['silence_id']:<9}{s['created_by']:<16}{s['ends_at']:%Y-%m-%d %H:%M}  "
                       f"{s['suppressed']:>5}  {s['source_id'] or '*'}/{s['indicator_id'] or '*'}/"
                       f"{s['area_code'] or '*'}  {s['reason']}")

    @cli.group("rules")
    def rules() -> None:
        """预警规则 / Warning rules."""

    @rules.command("backtest")
    @click.option("--indicator", required=True, help="指标 / indicator id")
    @click.option("--days", default=30, show_default=True, help="回放天数 / days of history")
    @click.option("--levels", "changes", multiple=True, help="拟调整，如 orange.above=250 / proposed change")
    @click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
    @click.pass_obj
    def backtest_(obj: dict, indicator: str, days: int, changes: tuple[str, ...], as_json: bool) -> None:
        """用历史数据回放：现行与拟调整等级各产生多少预警 / Replay history with current and proposed levels."""
        rt = bootstrap.open_runtime(obj["config_path"])
        config = levels.effective_config(rt.db, rt.config)
        if indicator not in config.indicators:
            raise click.ClickException(f"未知指标 / unknown indicator {indicator}")
        try:
            parsed = levels.parse_levels(list(_split(changes)))
        except AlertError as exc:
            _fail(exc)
        end = rt.clock.now()
        start = end - timedelta(days=days)
        ind = config.indicators[indicator]
        series = observe.indicator_series(rt.db, indicator, ind, end, start - backtest.history_needed(ind))
        try:
            result = backtest.compare(config, indicator, series, start, end, parsed)
        except AlertError as exc:
            _fail(exc)
        figures = {k: v.as_dict() for k, v in result.items()}
        if as_json:
            click.echo(_json({"indicator": indicator, "days": days, **figures}))
            return
        for name, f in figures.items():
            click.echo(f"{name:<9} warnings={f['warnings']:<5} firing_hours={f['firing_hours']:<8} "
                       f"mean_hours={f['mean_hours']}  by_level={f['by_level']}  areas={len(f['by_area'])}")

    @rules.command("apply")
    @click.option("--indicator", required=True, help="指标 / indicator id")
    @click.option("--levels", "changes", multiple=True, required=True, help="如 orange.above=250 / a change")
    @click.option("--by", "by_user", required=True, help="调整人 / who applies it")
    @click.pass_obj
    def apply(obj: dict, indicator: str, changes: tuple[str, ...], by_user: str) -> None:
        """应用等级调整（审计记录原值）/ Apply level changes (audited with the old values)."""
        rt = bootstrap.open_runtime(obj["config_path"])
        account = _user(rt, by_user)
        try:
            done = levels.apply_as(rt.db, rt.config, account, indicator, levels.parse_levels(list(_split(changes))),
                                   rt.clock.now())
        except AlertError as exc:
            _fail(exc)
        for level, name, old, new in done:
            click.echo(f"{indicator} {level}.{name}: {old} → {new}")

    @rules.command("history")
    @click.option("--indicator", default=None, help="指标 / indicator id")
    @click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
    @click.pass_obj
    def history(obj: dict, indicator: str | None, as_json: bool) -> None:
        """等级调整记录（谁、何时、原值）/ Level changes: who, when, from which value."""
        rt = bootstrap.open_runtime(obj["config_path"])
        rows = [dict(zip(("indicator", "level", "field", "value", "old_value", "changed_by", "changed_at"), r,
                         strict=True)) for r in alert_store.level_change_history(rt.db, indicator)]
        click.echo(_json(rows) if as_json else "\n".join(
            f"{r['changed_at']:%Y-%m-%d %H:%M} {r['changed_by']:<16}{r['indicator']} {r['level']}.{r['field']}: "
            f"{r['old_value']} → {r['value']}" for r in rows))


def _split(items):
    for item in items:
        yield from (p for p in re.split(r"[\s,]+", item) if p)
