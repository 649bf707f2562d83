"""Steps the task browser tests share: dispatch from the board, act on a task's detail, a real PNG photo."""

from __future__ import annotations

import struct
import zlib

from tests.browser.conftest import Visit


def png_photo(width: int = 8, height: int = 8) -> bytes:
    """A small, valid red PNG image."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def dispatch_from_board(v: Visit, base: str, unit: str, title: str, body: str = "", clicks: int = 1) -> str:
    """Open the board's dispatch dialog, fill it and send it `clicks` times; returns the task id shown."""
    page = v.page
    page.goto(f"{base}/tasks")
    page.click(".dispatch-open")
    page.wait_for_selector(".modal.show .dd-title")
    page.select_option(".modal.show .dd-unit", unit)
    page.fill(".modal.show .dd-title", title)
    page.fill(".modal.show .dd-body", body)
    for _ in range(clicks):
        page.click(".modal.show .dispatch-send")
    page.wait_for_selector(".modal.show .dispatch-done")
    return page.get_attribute(".modal.show .dispatch-done", "data-task")


def do_action(v: Visit, action: str, note: str | None = None, progress: int | None = None,
              files: list[dict] | None = None) -> None:
    """On an open task detail: fill the form and click the action's button; waits for the confirmation."""
    page = v.page
    page.wait_for_selector(f"button[data-action='{action}']")
    if progress is not None:
        page.fill("#td-progress", str(progress))
    if files:
        page.set_input_files("#td-upload input[type=file]", files)
        page.locator("#td-upload-names", has_text=files[0]["name"][-6:]).wait_for()
    if note is not None:
        page.fill("#td-note", note)
    before = page.locator(".tl-item").count()
    page.click(f"button[data-action='{action}']")
    page.locator(".tl-item").nth(before).or_(page.locator(".task-error")).first.wait_for()
    error = page.locator(".task-error")
    assert error.count() == 0, error.inner_text()
