"""HTTP routes of the tasks room: evidence files (only for those who may see the task, never as a page) and the
statistics workbook (audited). The session guard in `cockpit.app` has already put the signed-in user in `g.user`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from flask import Flask, g, jsonify, request, send_file

from cockpit.core.audit import Actor, audit
from cockpit.core.clock import Clock
from cockpit.core.config import Config
from cockpit.core.db import Database
from cockpit.core.i18n import _
from cockpit.tasks import export, queries, service
from cockpit.tasks.errors import Forbidden, NotFound, TaskError

ATTACHMENT_PATH = "/tasks/files/"
STATISTICS_PATH = "/tasks/statistics.xlsx"
STATISTICS_ROLES = frozenset({"leader", "center_operator", "duty_officer"})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment_url(attachment_id: str) -> str:
    """Where an attachment is served."""
    return f"{ATTACHMENT_PATH}{quote(attachment_id, safe='')}"


def statistics_url(days: int, by: str) -> str:
    """Where the statistics workbook for a period and grouping is served."""
    return f"{STATISTICS_PATH}?days={int(days)}&by={quote(by, safe='')}"


def register_task_routes(server: Flask, db: Database, config: Config, clock: Clock, data_dir: Path) -> None:
    """Add the tasks room's routes to `server`."""

    @server.get(f"{ATTACHMENT_PATH}<attachment_id>")
    def task_attachment(attachment_id: str):
        user = g.user
        try:
            path, content_type, filename = service.open_attachment(db, user, attachment_id, data_dir)
        except Forbidden:
            return jsonify(error=_("You may not see this task.")), 403
        except (NotFound, TaskError):
            return jsonify(error=_("No such attachment.")), 404
        audit(db, Actor(user.user_id, request.remote_addr), "task.attachment", f"attachment:{attachment_id}",
              None, clock=clock)
        # Images show in the page; anything else (PDF) is downloaded, never rendered by the browser here.
        inline = content_type.startswith("image/")
        resp = send_file(path, mimetype=content_type, as_attachment=not inline, download_name=filename,
                         max_age=0)
        resp.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
        resp.headers["Cache-Control"] = "private, no-store"
        return resp

    @server.get(STATISTICS_PATH)
    def task_statistics_workbook():
        user = g.user
        actor = Actor(user.user_id, request.remote_addr)
        if user.role not in STATISTICS_ROLES:
            audit(db, actor, "task.statistics.export", STATISTICS_PATH, None, "denied", clock=clock)
            return jsonify(error=_("You do not have permission for this.")), 403
        days = request.args.get("days", "30")
        by = request.args.get("by", "unit")
        if not days.isdigit() or int(days) not in queries.STAT_PERIODS or by not in ("unit", "district", "area"):
            return jsonify(error=_("Invalid request.")), 400
        now = clock.now()
        rows = queries.statistics(db, user, now - timedelta(days=int(days)), now, now, by=by)
        content = export.statistics_workbook(rows)
        audit(db, actor, "task.statistics.export", STATISTICS_PATH, {"days": int(days), "by": by,
                                                                    "rows": len(rows)}, clock=clock)
        name = f"task-statistics-{by}-{days}d-{now:%Y%m%d}.xlsx"
        resp = server.response_class(content, mimetype=XLSX)
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        resp.headers["Cache-Control"] = "private, no-store"
        return resp
