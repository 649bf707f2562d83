"""Who may read a task and its attachments; what files are accepted and where they are kept."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from cockpit.tasks import queries, store
from cockpit.tasks.attachments import safe_filename
from cockpit.tasks.dispatch import dispatch
from cockpit.tasks.errors import Forbidden, NotFound, TaskError
from cockpit.tasks.model import Action, Upload
from cockpit.tasks.service import act, open_attachment
from tests.tasks.conftest import MONDAY_9AM

NOW = MONDAY_9AM
PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)
JPEG = b"\xff\xd8\xff\xe0" + bytes(200)
PDF = b"%PDF-1.7\n" + bytes(200)


@pytest.fixture(scope="module")
def evidence(rt, users):
    """A 海陵区 task of 城管局 with a photo attached by its handler; returns (task id, attachment id)."""
    task = dispatch(rt.db, rt.config, users["duty_hailing"], origin="warning", origin_id=uuid.uuid4().hex,
                    to_unit="dept_chengguan", title="占道经营", body="", area_code="321202001", now=NOW).task
    handler = users["handler_chengguan"]
    act(rt.db, rt.config, handler, task.task_id, Action("accept"), NOW)
    act(rt.db, rt.config, handler, task.task_id,
        Action("report", progress=50, note="已劝离", files=(Upload("现场照片.png", PNG),)), NOW, data_dir=rt.data_dir)
    [row] = store.attachments(rt.db, task.task_id)
    return task.task_id, row["attachment_id"]


def test_a_handler_cannot_read_another_units_task(rt, users, evidence):
    task_id, _ = evidence
    assert queries.task_detail(rt.db, users["handler_chengguan"], task_id, NOW)["task"]["task_id"] == task_id
    with pytest.raises(Forbidden):
        queries.task_detail(rt.db, users["handler_shengtai"], task_id, NOW)
    board = queries.board(rt.db, users["handler_shengtai"], NOW)
    assert all(r["task_id"] != task_id for rows in board["columns"].values() for r in rows)
    assert task_id not in [t["task_id"] for t in queries.my_tasks(rt.db, users["handler_shengtai"], NOW)]
    assert task_id in [t["task_id"] for t in queries.my_tasks(rt.db, users["handler_chengguan"], NOW)]


def test_a_handler_cannot_act_on_another_units_task(rt, users, evidence):
    task_id, _ = evidence
    with pytest.raises(Forbidden):
        act(rt.db, rt.config, users["handler_shengtai"], task_id, Action("report", progress=90), NOW)
    assert queries.task_detail(rt.db, users["handler_chengguan"], task_id, NOW)["task"]["progress"] == 50


def test_a_handler_cannot_fetch_another_units_attachment(rt, users, evidence):
    _, attachment_id = evidence
    path, kind, name = open_attachment(rt.db, users["handler_chengguan"], attachment_id, rt.data_dir)
    assert path.read_bytes() == PNG and kind == "image/png" and name == "现场照片.png"
    with pytest.raises(Forbidden):
        open_attachment(rt.db, users["handler_shengtai"], attachment_id, rt.data_dir)
    with pytest.raises(NotFound):
        open_attachment(rt.db, users["handler_chengguan"], "no-such-id", rt.data_dir)


@pytest.mark.parametrize(("user_id", "sees"), [
    ("duty_hailing", True), ("operator_hailing", True), ("street_op", True), ("duty_city", True),
    ("leader_mayor", True), ("leader_hailing", True), ("operator_jiangyan", False), ("admin1", False),
    ("auditor1", False), ("handler_shengtai", False),
])
def test_area_scope_decides_who_sees_a_task(rt, users, evidence, user_id, sees):
    task_id, attachment_id = evidence
    if sees:
        assert queries.task_detail(rt.db, users[user_id], task_id, NOW)["task"]["task_id"] == task_id
        open_attachment(rt.db, users[user_id], attachment_id, rt.data_dir)
    else:
        with pytest.raises(Forbidden):
            queries.task_detail(rt.db, users[user_id], task_id, NOW)
        with pytest.raises(Forbidden):
            open_attachment(rt.db, users[user_id], attachment_id, rt.data_dir)


def test_attachments_live_under_the_data_directory_not_the_web_root(rt, evidence):
    _, attachment_id = evidence
    row = store.attachment(rt.db, attachment_id)
    stored = rt.data_dir / "attachments" / row["stored_path"]
    assert stored.is_file() and attachment_id in stored.name and "现场照片" not in str(stored)
    assert "assets" not in stored.parts


@pytest.mark.parametrize(("content", "message"), [
    (b"GIF89a" + bytes(100), "JPEG"),
    (b"<html><script>alert(1)</script>", "JPEG"),
    (b"", "empty"),
    (PNG + bytes(11 * 1024 * 1024), "larger"),
])
def test_bad_files_are_refused_and_nothing_is_changed(rt, users, evidence, content, message):
    task_id, _ = evidence
    before = len(store.attachments(rt.db, task_id))
    with pytest.raises(TaskError, match=message):
        act(rt.db, rt.config, users["handler_chengguan"], task_id,
            Action("report", progress=70, files=(Upload("x.png", content),)), NOW + timedelta(minutes=1),
            data_dir=rt.data_dir)
    assert len(store.attachments(rt.db, task_id)) == before
    assert queries.task_detail(rt.db, users["handler_chengguan"], task_id, NOW)["task"]["progress"] == 50


def test_a_pdf_and_a_jpeg_are_typed_by_their_bytes_not_their_names(rt, users, evidence):
    task_id, _ = evidence
    act(rt.db, rt.config, users["handler_chengguan"], task_id,
        Action("report", progress=60, files=(Upload("report.png", PDF), Upload("photo", JPEG))), NOW,
        data_dir=rt.data_dir)
    rows = store.attachments(rt.db, task_id)
    last_event = max(r["event_id"] for r in rows)
    assert sorted((r["content_type"], r["filename"]) for r in rows if r["event_id"] == last_event) == [
        ("application/pdf", "report.pdf"), ("image/jpeg", "photo.jpg")]


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd.png", "passwd.png"),
    ("C:\\Users\\x\\现场.jpg", "现场.png"),  # the extension follows the sniffed type
    ("a;rm -rf $HOME.png", "a_rm -rf _HOME.png"),
    ("", "file.png"),
    ("...", "file.png"),
])
def test_filenames_are_sanitised(name, expected):
    assert safe_filename(name, ".png") == expected
