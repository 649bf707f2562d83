"""The queries and the workbook behind the task pages: board filters, statistics totals, re-dispatch eligibility,
formula-safe Excel cells."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook

from cockpit.tasks import queries
from cockpit.tasks.dispatch import dispatch
from cockpit.tasks.export import safe_cell, statistics_workbook, workbook
from cockpit.tasks.model import Action
from cockpit.tasks.service import act
from tests.tasks.conftest import MONDAY_9AM, STREET

NOW = MONDAY_9AM


def make(rt, user, title, origin="manual", origin_id=None, to_unit="dept_chengguan", area="321202",
         priority="normal"):
    return dispatch(rt.db, rt.config, user, origin=origin, origin_id=origin_id, to_unit=to_unit, title=title,
                    body="", area_code=area, now=NOW, priority=priority).task


def test_board_filters_by_priority_and_origin_within_scope(rt, users):
    duty = users["duty_city"]
    urgent = make(rt, duty, "紧急任务", priority="urgent")
    from_warning = make(rt, duty, "预警任务", origin="warning", origin_id="W-board-1")
    board = queries.board(rt.db, duty, NOW, priority="urgent")
    ids = [r["task_id"] for rows in board["columns"].values() for r in rows]
    assert urgent.task_id in ids and from_warning.task_id not in ids
    board = queries.board(rt.db, duty, NOW, origin="warning")
    ids = [r["task_id"] for rows in board["columns"].values() for r in rows]
    assert from_warning.task_id in ids and urgent.task_id not in ids
    assert board["counts"]["dispatched"]["total"] == len(board["columns"]["dispatched"])
    other_district = queries.board(rt.db, users["operator_jiangyan"], NOW)  # 姜堰区 sees nothing of 海陵区
    assert not any(r["task_id"] in (urgent.task_id, from_warning.task_id)
                   for rows in other_district["columns"].values() for r in rows)


def test_overdue_tasks_come_first_in_their_column(rt, users):
    duty = users["duty_city"]
    on_time = make(rt, duty, "按时任务", area="321203")
    late = dispatch(rt.db, rt.config, duty, origin="manual", origin_id=None, to_unit="dept_chengguan",
                    title="超期任务", body="", area_code="321203", now=NOW,
                    accept_due=NOW + timedelta(hours=1)).task
    column = queries.board(rt.db, duty, NOW + timedelta(hours=2), area="321203")["columns"]["dispatched"]
    assert [r["task_id"] for r in column][:2] == [late.task_id, on_time.task_id]
    assert column[0]["overdue"] and not column[1]["overdue"]


def test_statistics_total_weights_mean_hours_and_leaves_empty_rates_empty():
    rows = [
        {"dispatched": 4, "closed": 2, "on_time": 1, "overdue": 1, "mean_hours": 10.0, "yellow_cards": 1,
         "red_cards": 0, "followed_up": 0, "solved": 0, "satisfied": 0},
        {"dispatched": 2, "closed": 1, "on_time": 1, "overdue": 0, "mean_hours": 4.0, "yellow_cards": 0,
         "red_cards": 1, "followed_up": 0, "solved": 0, "satisfied": 0},
    ]
    total = queries.statistics_total(rows)
    assert total["dispatched"] == 6 and total["closed"] == 3 and total["red_cards"] == 1
    assert total["mean_hours"] == (10 * 2 + 4 * 1) / 3
    assert total["closed_rate"] == 0.5 and total["on_time_rate"] == 2 / 3
    assert total["solved_rate"] is None and total["satisfied_rate"] is None
    assert queries.statistics_total([])["mean_hours"] is None


def test_only_the_assigned_center_may_redispatch_and_only_to_its_streets(rt, users):
    task = make(rt, users["duty_city"], "基层治理事件", to_unit="center_321202", area="321202")
    operator = users["operator_hailing"]
    assert not queries.may_redispatch(task, operator)  # not signed for yet
    task = act(rt.db, rt.config, operator, task.task_id, Action("accept"), NOW)
    assert queries.may_redispatch(task, operator)
    assert not queries.may_redispatch(task, users["duty_city"])  # the dispatcher is not the assignee
    assert not queries.may_redispatch(task, users["handler_chengguan"])
    streets = {u["unit_id"] for u in queries.redispatch_targets(rt.db, task.area_code, operator)}
    assert f"center_{STREET}" in streets and all(s.startswith("center_321202") for s in streets)
    detail = queries.task_detail(rt.db, operator, task.task_id, NOW)
    assert detail["may_redispatch"] and "report" in detail["actions"]


def test_cells_that_would_start_a_formula_are_neutralised():
    for text in ("=1+1", "+86 123", "-2", "@SUM(A1)", "\t=cmd", "=HYPERLINK(\"http://x\")"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("生态环境局") == "生态环境局" and safe_cell(3) == 3 and safe_cell(None) is None
    sheet = load_workbook(io.BytesIO(workbook("t", ["=head"], [["=1+1", 5, "@x"]]))).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["'=head", None, None], ["'=1+1", 5, "'@x"]]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_statistics_workbook_has_a_row_per_group_with_rates_as_numbers(rt, users):
    rows = queries.statistics(rt.db, users["leader_mayor"], NOW - timedelta(days=30), NOW + timedelta(days=1),
                              NOW, by="unit")
    rows.append({**rows[0], "name": "=cmd|' /C calc'!A0"})
    sheet = load_workbook(io.BytesIO(statistics_workbook(rows))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == len(rows) + 1
    assert values[-1][0] == "'=cmd|' /C calc'!A0"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
