"""`cockpit users add|list|reset-password`."""

from __future__ import annotations

import json

import click

from cockpit import bootstrap
from cockpit.auth.users import UserError, create_user, reset_password
from cockpit.core import store
from cockpit.core.audit import Actor
from cockpit.core.i18n import _
from cockpit.core.roles import ROLES

CLI_ACTOR = Actor("cli", "local")


def register(cli: click.Group) -> None:
    """Add the user commands to `cli`."""

    @cli.group("users")
    def users() -> None:
        """用户管理 / Manage user accounts."""

    @users.command("add")
    @click.argument("user_id")
    @click.option("--name", required=True, help="显示名 / display name")
    @click.option("--role", type=click.Choice(ROLES), required=True, help="角色 / role")
    @click.option("--area", required=True, help="区域代码 / area code of the user's scope")
    @click.option("--unit", default=None, help="单位 id / unit id")
    @click.pass_obj
    def add(obj: dict, user_id: str, name: str, role: str, area: str, unit: str | None) -> None:
        """新增用户并输出初始密码 / Add a user and print the initial password."""
        rt = bootstrap.open_runtime(obj["config_path"])
        try:
            password = create_user(rt.db, CLI_ACTOR, user_id, name, role, area, unit)
        except UserError as exc:
            raise click.ClickException(_(str(exc), **exc.values)) from None
        click.echo(f"{user_id}\t{password}")

    @users.command("list")
    @click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
    @click.pass_obj
    def list_(obj: dict, as_json: bool) -> None:
        """列出用户 / List users."""
        rt = bootstrap.open_runtime(obj["config_path"])
        rows = [
            {"user_id": u.user_id, "name": u.display_name, "role": u.role, "area": u.area_code, "unit": u.unit_id,
             "disabled": u.disabled}
            for u in store.users(rt.db)
        ]
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for r in rows:
                click.echo(f"{r['user_id']:<16}{r['role']:<17}{r['area']:<11}{r['unit'] or '-':<20}{r['name']}")

    @users.command("reset-password")
    @click.argument("user_id")
    @click.pass_obj
    def reset(obj: dict, user_id: str) -> None:
        """重置密码并输出新密码 / Reset a password and print the new one."""
        rt = bootstrap.open_runtime(obj["config_path"])
        try:
            password = reset_password(rt.db, CLI_ACTOR, user_id)
        except UserError as exc:
            raise click.ClickException(_(str(exc), **exc.values)) from None
        click.echo(f"{user_id}\t{password}")
