"""`cockpit serve` and `cockpit demo`: one process with the web server, the scheduler and the database."""

from __future__ import annotations

import logging

import click

from cockpit import bootstrap
from cockpit.core.i18n import _, use_locale
from cockpit.core.roles import ROLE_LABELS

log = logging.getLogger(__name__)


def register(cli: click.Group) -> None:
    """Add serve and demo to `cli`."""

    @cli.command("serve")
    @click.option("--host", default=None, help="监听地址 / address to listen on (default from config)")
    @click.option("--port", type=int, default=None, help="端口 / port (default from config)")
    @click.option("--no-scheduler", is_flag=True, help="不启动定时任务 / do not run scheduled jobs")
    @click.pass_obj
    def serve(obj: dict, host: str | None, port: int | None, no_scheduler: bool) -> None:
        """启动服务（网页 + 调度器）/ Start the web app and the scheduler in one process."""
        runtime = bootstrap.open_runtime(obj["config_path"])
        run_server(runtime, host, port, scheduler=not no_scheduler)

    @cli.command("demo")
    @click.option("--host", default=None, help="监听地址 / address to listen on")
    @click.option("--port", type=int, default=None, help="端口 / port")
    @click.option("--seed-only", is_flag=True, help="只生成演示数据不启动 / seed the demo and exit")
    @click.pass_obj
    def demo(obj: dict, host: str | None, port: int | None, seed_only: bool) -> None:
        """生成演示城市并启动 / Seed the demo city, print the demo logins, and start serving."""
        from cockpit.demo.accounts import seed_accounts
        from cockpit.demo.live import DemoCity, demo_clock, wants_city

        runtime = bootstrap.open_runtime(obj["config_path"], demo_clock(bootstrap.check(obj["config_path"])))
        logins = seed_accounts(runtime.db, runtime.data_dir / "demo-logins.txt")
        url = f"http://{host or runtime.config.server.host}:{port or runtime.config.server.port}"
        click.echo(f"\n  城市运行驾驶舱 演示 / demo: {url}\n")
        click.echo(f"  {'用户名 / user':<22}{'角色 / role':<24}{'密码 / password':<18}姓名 / name")
        for user_id, name, role, password in logins:
            with use_locale("zh_CN"):
                label = _(ROLE_LABELS[role])
            click.echo(f"  {user_id:<22}{label:<20}{password:<18}{name}")
        click.echo(f"\n  （密码保存在 / passwords kept in {runtime.data_dir / 'demo-logins.txt'}）\n")
        city = DemoCity(runtime) if wants_city(runtime.config) else None
        if city is None:
            if not seed_only:
                run_server(runtime, host, port, scheduler=True)
            return
        # The simulated city loads its history in the background; scheduled jobs start once it is in.
        from cockpit.scheduler import start_scheduler

        click.echo(f"  模拟城市 / simulated city: 127.0.0.1:{runtime.config.simulator.http_port} "
                   f"({runtime.config.simulator.history_days} 天历史 / days of history loading in the background)\n")
        city.start(then=None if seed_only else lambda: start_scheduler(runtime))
        try:
            if seed_only:
                city.complete.wait()
            else:
                run_server(runtime, host, port, scheduler=False)
        finally:
            city.stop()


def run_server(runtime: bootstrap.Runtime, host: str | None, port: int | None, scheduler: bool) -> None:
    """Serve the app with waitress (threads) and, unless disabled, the scheduler in the same process."""
    from waitress import serve as waitress_serve

    from cockpit.app import create_app
    from cockpit.scheduler import scheduler_health, start_scheduler

    sched = start_scheduler(runtime) if scheduler and runtime.config.scheduler.enabled else None
    app = create_app(runtime, lambda: scheduler_health(sched))
    host = host or runtime.config.server.host
    port = port or runtime.config.server.port
    log.info("serving on http://%s:%s", host, port)
    try:
        waitress_serve(app.server, host=host, port=port, threads=runtime.config.server.threads,
                       ident="cockpit", clear_untrusted_proxy_headers=True)
    finally:
        if sched is not None:
            sched.shutdown(wait=False)
