"""A deployment whose configuration names its database by a relative path (as the shipped config.yaml does)
still serves its briefing files: the files are found where they were written."""

from __future__ import annotations

from datetime import date

from cockpit.app import create_app
from cockpit.reports import archive
from tests.conftest import sign_in
from tests.reports.conftest import PASSWORD, make_runtime


def test_briefing_downloads_with_a_relative_database_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rt = make_runtime(tmp_path, database_path="data/cockpit.duckdb")
    try:
        assert (tmp_path / "data" / "cockpit.duckdb").exists()
        made = archive.generate(rt.db, rt.config, rt.data_dir, "daily", "321200", date(2026, 11, 22), rt.clock)
        client = create_app(rt).server.test_client()
        sign_in(client, "op_city", PASSWORD)
        resp = client.get(f"/briefings/{made['briefing_id']}.html")
        assert resp.status_code == 200 and "泰州市城市运行日报" in resp.get_data(as_text=True)
        assert client.get(f"/briefings/{made['briefing_id']}.xlsx").status_code == 200
    finally:
        rt.db.close()
