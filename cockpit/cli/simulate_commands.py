"""`cockpit simulate`: the simulated city on its own, and drills (应急演练) against the running one."""

from __future__ import annotations

import json
import signal
import threading

import click

from cockpit.core.config import load_config


def register(cli: click.Group) -> None:
    """Add the simulate group to `cli`."""

    @cli.group("simulate", invoke_without_command=True)
    @click.option("--no-history", is_flag=True, help="不生成历史数据 / skip the history backfill")
    @click.pass_context
    def simulate(ctx: click.Context, no_history: bool) -> None:
        """运行模拟城市 / Run the simulated government systems standalone (APIs, exchange DB, file drops)."""
        if ctx.invoked_subcommand is not None:
            return
        from cockpit.demo.live import demo_clock
        from cockpit.demo.simulator import ScaledClock, Simulator, city_from_config

        config = load_config(ctx.obj["config_path"])
        sim_config = config.simulator
        if sim_config is None:
            raise click.ClickException("配置中没有 simulator 段 / config.yaml has no `simulator:` section")
        simulator = Simulator(sim_config, city_from_config(config, sim_config.seed, sim_config.scale),
                              clock=demo_clock(config) or ScaledClock(sim_config.speed))
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        simulator.start(backfill=not no_history)
        click.echo(f"模拟城市运行中 / simulated city running: http://127.0.0.1:{sim_config.http_port} "
                   f"(folder {simulator.folder}); Ctrl+C 停止 / to stop")
        try:
            while not stop.wait(1.0):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            simulator.stop()
            click.echo("模拟城市已停止 / simulated city stopped")

    @simulate.command("drill")
    @click.argument("name")
    @click.option("--minutes", type=float, default=60, show_default=True, help="持续分钟 / simulated minutes")
    @click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
                  help="演练参数 / drill parameter, e.g. district=321202, street=321202001, system=traffic")
    @click.pass_obj
    def drill(obj: dict, name: str, minutes: float, params: tuple[str, ...]) -> None:
        """注入应急演练 / Inject a drill into the running simulated city.

        NAME: heavy_pollution 重污染天气, flood 汛期高水位, hotline_surge 12345同类诉求激增,
        video_offline 视频点位批量离线, source_outage 数据源中断.
        """
        from cockpit.demo.live import inject_drill

        config = load_config(obj["config_path"])
        values = {}
        for p in params:
            key, _, value = p.partition("=")
            values[key.strip()] = float(value) if _is_number(value) and key.strip() not in (
                "district", "street", "system", "category") else value.strip()
        try:
            drill = inject_drill(config, name, minutes, values)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
        except ConnectionError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"演练已开始 / drill started: {drill['title']} ({drill['name']}) {drill['starts']} → {drill['ends']} "
                   f"{json.dumps(drill['params'], ensure_ascii=False)}")

    @simulate.command("status")
    @click.pass_obj
    def status(obj: dict) -> None:
        """模拟城市状态 / Clock, progress and drills of the running simulated city (JSON)."""
        from cockpit.demo.live import simulator_status

        try:
            click.echo(json.dumps(simulator_status(load_config(obj["config_path"])), ensure_ascii=False, indent=2))
        except ConnectionError as exc:
            raise click.ClickException(str(exc)) from None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
