"""The briefing download route: /briefings/<id>.<html|pdf|xlsx>, scope-checked and audited on every request.

The composition root hands in who is asking (the auth room's `current_user`), so this room does not import it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask, abort, request, send_file

from cockpit.core.clock import Clock
from cockpit.core.config import Config
from cockpit.core.db import Database
from cockpit.reports.archive import FORMATS, BriefingDenied, file_for


def register_briefing_routes(server: Flask, db: Database, config: Config, data_dir: Path, clock: Clock,
                             current_user: Callable) -> None:
    """Add the download route to `server`."""

    @server.get("/briefings/<bid>.<fmt>")
    def briefing_file(bid: str, fmt: str):
        user = current_user()
        try:
            path = file_for(db, data_dir, user, bid, fmt, config.city.code, clock, request.remote_addr)
        except BriefingDenied:
            abort(404)
        inline = fmt == "html"
        resp = send_file(path, mimetype=FORMATS[fmt], as_attachment=not inline, download_name=path.name,
                         max_age=0)
        resp.headers["Cache-Control"] = "no-store"
        if inline:  # the document has no script; let it keep its own styles and nothing else
            resp.headers["Content-Security-Policy"] = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                                       "frame-ancestors 'self'")
        return resp
