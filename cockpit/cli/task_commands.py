"""`cockpit tasks list|show`."""

from __future__ import annotations

import json

import click

from cockpit import bootstrap
from cockpit.core import store as core_store
from cockpit.core.i18n import _
from cockpit.tasks import queries, store
from cockpit.tasks.errors import Forbidden, NotFound
from cockpit.tasks.model import STATES


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=lambda v: v.isoformat())


def _viewer(rt, user_id: str | None):
    if user_id is None:
        return None
    account = core_store.user(rt.db, user_id)
    if account is None:
        raise click.ClickException(f"未知用户 / unknown user {user_id}")
    return account


def register(cli: click.Group) -> None:
    """Add the task commands to `cli`."""

    @cli.group("tasks")
    def tasks() -> None:
        """任务督办 / Dispatched tasks."""

    @tasks.command("list")
    @click.option("--state", type=click.Choice(STATES), multiple=True, help="按状态筛选 / only these states")
    @click.option("--as", "as_user", default=None, help="按该用户的可见范围 / in this user's scope")
    @click.option("--limit", default=1000, show_default=True, help="最多条数 / at most this many")
    @click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
    @click.pass_obj
    def list_(obj: dict, state: tuple[str, ...], as_user: str | None, limit: int, as_json: bool) -> None:
        """列出任务（新的在前）/ List tasks, newest first."""
        rt = bootstrap.open_runtime(obj["config_path"])
        now = rt.clock.now()
        rows = [queries.task_row(t, now)
                for t in store.tasks(rt.db, _viewer(rt, as_user), states=list(state) or None, limit=limit)]
        if as_json:
            click.echo(_json(rows))
            return
        for r in rows:
            late = "!" if r["overdue"] else " "
            click.echo(f"{r['task_id']:<17}{r['state']:<12}{late}{r['progress']:>4}%  {r['to_unit']:<20}"
                       f"{r['finish_due']:%Y-%m-%d %H:%M}  {r['title']}")

    @tasks.command("show")
    @click.argument("task_id")
    @click.option("--as", "as_user", default=None, help="以该用户身份查看 / as this user")
    @click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
    @click.pass_obj
    def show(obj: dict, task_id: str, as_user: str | None, as_json: bool) -> None:
        """任务详情与时间线 / A task with its timeline."""
        rt = bootstrap.open_runtime(obj["config_path"])
        now = rt.clock.now()
        viewer = _viewer(rt, as_user)
        try:
            if viewer is not None:
                detail = queries.task_detail(rt.db, viewer, task_id, now)
            else:  # the operator at the console sees every task
                task = store.load_task(rt.db.cursor(), task_id)
                if task is None:
                    raise NotFound("No such task.")
                detail = {"task": queries.task_row(task, now), "timeline": store.events(rt.db, task_id),
                          "attachments": store.attachments(rt.db, task_id),
                          "subtasks": [queries.task_row(c, now) for c in store.child_tasks(rt.db.cursor(), task_id)]}
        except (NotFound, Forbidden) as exc:
            raise click.ClickException(_(exc.msgid, **exc.values)) from None
        if as_json:
            click.echo(_json(detail))
            return
        t = detail["task"]
        click.echo(f"{t['task_id']}  {t['title']}\n{t['state']}  {t['progress']}%  → {t['to_unit']}  "
                   f"签收 {t['accept_due']:%Y-%m-%d %H:%M}  办结 {t['finish_due']:%Y-%m-%d %H:%M}")
        for e in detail["timeline"]:
            click.echo(f"  {e['occurred_at']:%Y-%m-%d %H:%M}  {e['actor_id'] or 'system':<18}{e['action']:<18}"
                       f"{e['from_state'] or '-'} → {e['to_state']}  {e['note'] or ''}")
