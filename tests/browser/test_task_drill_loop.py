"""Issue 6 end to end, with three people in real Chromium: a flood drill in the simulated city raises a warning
(simulator → connectors → indicators → alerts), the duty officer dispatches it with one click from the warning,
the handler accepts on a phone, reports 50 % with a photo and submits, the officer sends it back once and then
closes it; the timeline shows every step, and the warning resolves when the simulator recovers."""

from __future__ import annotations

import pytest

from alerts import evaluate as alerts_evaluate
from cockpit import bootstrap
from cockpit.core.clock import FixedClock
from cockpit.demo.accounts import seed_accounts
from cockpit.demo.simulator import Simulator, city_from_config
from connectors.runner import ingest
from indicators import engine
from tests.browser.conftest import login
from tests.browser.tasks_helpers import do_action, png_photo
from tests.conftest import free_port, start_cockpit
from tests.demo.conftest import START, simulated_config

pytestmark = pytest.mark.browser
XINGHUA = "321281"
INDICATOR = "emergency.water_above_warning"


def evaluate_all(runtime, clock) -> None:
    """What the scheduler's jobs do, for the one indicator of this drill (the full catalog takes 20 s a round)."""
    ingest(runtime.db, runtime.config, clock)
    engine.evaluate(runtime.db, runtime.config, clock.now(), indicator_ids=[INDICATOR])
    alerts_evaluate.evaluate(runtime.db, runtime.config, clock.now())


def serve(config, port, folder):
    return start_cockpit(config, port, folder, "serve", "--no-scheduler")


def warning_state(runtime, warning_id: str) -> str:
    return runtime.db.one("select state from warnings where warning_id = ?", [warning_id])[0]


def test_flood_drill_warning_dispatched_handled_closed_and_resolved(tmp_path, visit):
    port = free_port()
    config = simulated_config(tmp_path, days=3)
    config.write_text(config.read_text(encoding="utf-8").replace("port: 8050", f"port: {port}"), encoding="utf-8")
    clock = FixedClock(START)
    runtime = bootstrap.open_runtime(config, clock)
    sim = runtime.config.simulator
    simulator = Simulator(sim, city_from_config(runtime.config, sim.seed, sim.scale), clock=clock)
    simulator.start_api()
    try:
        simulator.backfill()
        evaluate_all(runtime, clock)
        simulator.inject("flood", minutes=120, params={"district": XINGHUA})
        clock.advance(minutes=30)  # half an hour into the drill, evaluated as the scheduler would
        simulator.step()
        evaluate_all(runtime, clock)
        firing = runtime.db.rows("select warning_id from warnings where indicator_id = ? and area_code like ? "
                                 "and state = 'firing'", [INDICATOR, f"{XINGHUA}%"])
        assert firing, "the flood drill raised no warning"
        warning_id = firing[0][0]
        seed_accounts(runtime.db, tmp_path / "demo-logins.txt")
        runtime.db.close()
        logins = dict(line.split("\t", 1) for line in (tmp_path / "demo-logins.txt").read_text().splitlines())

        server = serve(config, port, tmp_path)
        base = f"http://127.0.0.1:{port}"
        try:
            task_id = _loop(visit, base, logins, warning_id)
        finally:
            server.terminate()
            server.wait(timeout=10)

        runtime = bootstrap.open_runtime(config, clock)
        assert runtime.db.one("select origin_id, state from tasks where task_id = ?", [task_id]) == (warning_id,
                                                                                                   "closed")
        for minutes in (100, 40, 40):  # the drill ends; the water falls back and stays down for `clear_for`
            clock.advance(minutes=minutes)
            simulator.step()
            evaluate_all(runtime, clock)
        assert warning_state(runtime, warning_id) == "resolved"
        runtime.db.close()
    finally:
        simulator.stop()


def _loop(visit, base, logins, warning_id) -> str:
    officer = visit()
    login(officer, base, "duty_city", logins["duty_city"])
    page = officer.page
    page.goto(f"{base}/duty?warning={warning_id}")
    opener = page.locator(f"""[id='{{"key":"warning-{warning_id}","type":"dd-open"}}']""")
    opener.click()
    page.wait_for_selector(".modal.show .dd-title")
    assert page.input_value(".modal.show .dd-unit") == "dept_yingji"  # routed: 应急管理 → 应急管理局
    assert page.input_value(".modal.show .dd-title")  # pre-filled from the warning
    page.select_option(".modal.show .dd-unit", "dept_shuili")  # editable: the officer picks 水利局
    page.click(".modal.show .dispatch-send")
    page.click(".modal.show .dispatch-send")  # a double click still makes one task
    page.wait_for_selector(".modal.show .dispatch-done")
    task_id = page.get_attribute(".modal.show .dispatch-done", "data-task")
    page.goto(f"{base}/duty?warning={warning_id}")
    page.wait_for_selector(f".task-link:has-text('{task_id}')")  # the warning shows 已派单 with its task

    phone = visit(390, 844)
    login(phone, base, "handler_shuili", logins["handler_shuili"])
    phone.page.click(f".my-task[data-task='{task_id}']")
    do_action(phone, "accept")
    do_action(phone, "report", note="已开启泵站排涝", progress=50,
              files=[{"name": "泵站.jpg", "mimeType": "image/png", "buffer": png_photo()}])
    do_action(phone, "submit", note="水位已回落，险情排除")
    assert phone.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.goto(f"{base}/tasks?id={task_id}")
    do_action(officer, "return", note="请补充堤防巡查记录")
    phone.page.reload()
    do_action(phone, "submit", note="已补充巡查记录")
    page.reload()
    do_action(officer, "verify", note="核查属实")
    do_action(officer, "close")
    assert page.get_attribute("#task-origin-link", "href") == f"/duty?warning={warning_id}"
    steps = page.locator(".tl-item").evaluate_all("items => items.map(i => i.dataset.action)")
    assert steps == ["dispatch", "accept", "report", "submit", "return", "submit", "verify", "close"]
    assert page.locator(".tl-file").count() == 1
    for v in (officer, phone):
        assert v.errors == [] and v.external == []
    return task_id
