"""The scripts of the app go over the intranet compressed when the browser accepts it; pages, which carry session
tokens beside what users typed, are never compressed (BREACH)."""

from __future__ import annotations

import gzip
import re

from cockpit import bootstrap
from cockpit.app import create_app
from cockpit.auth.users import create_user
from cockpit.core.audit import Actor
from tests.conftest import sign_in, write_config


def test_scripts_are_served_gzipped_and_pages_are_not(tmp_path):
    rt = bootstrap.open_runtime(write_config(tmp_path))
    try:
        create_user(rt.db, Actor("t"), "op1", "操作员", "center_operator", "321202", "center_321202",
                    password="Good#Pass123", must_change_password=False)
        client = create_app(rt).server.test_client()
        sign_in(client, "op1", "Good#Pass123")
        html = client.get("/district").get_data(as_text=True)
        script = re.search(r'src="(/_dash-component-suites/dash/dash-renderer/build/dash_renderer[^"]+)"', html)
        assert script, "the renderer script is served by the app itself"
        plain = client.get(script.group(1))
        packed = client.get(script.group(1), headers={"Accept-Encoding": "gzip"})
        assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
        assert packed.headers.get("Content-Encoding") == "gzip"
        assert gzip.decompress(packed.get_data()) == plain.get_data()
        assert len(packed.get_data()) < len(plain.get_data()) / 2
        page = client.get("/district", headers={"Accept-Encoding": "gzip"})
        assert page.status_code == 200 and "Content-Encoding" not in page.headers
    finally:
        rt.db.close()
