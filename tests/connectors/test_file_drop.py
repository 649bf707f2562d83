"""file_drop through the full pipeline: encodings, Chinese headers, bad lines, archive and reject folders."""

from __future__ import annotations

import json
import logging

import openpyxl

from connectors import store
from connectors.runner import run_source

DATASET = {
    "name": "空气质量小时数据",
    "columns": {
        "station": {"type": "string", "required": True},
        "hour": {"type": "timestamp", "required": True, "format": "%Y-%m-%d %H:%M"},
        "street": {"type": "string"},
        "pm25": {"type": "float"},
        "aqi": {"type": "integer"},
    },
    "primary_key": ["station", "hour"],
    "time": "hour",
    "area": "street",
}
COLUMNS = {"站点编码": "station", "监测时间": "hour", "所在街道": "street", "PM2.5": "pm25", "AQI": "aqi"}


def _source(folder, **settings):
    return {"air": {"name": "空气质量监测站", "kind": "file_drop", "dataset": "air",
                    "settings": {"path": str(folder), "columns": COLUMNS, **settings}}}


def test_gbk_csv_with_chinese_headers_loads_and_is_archived(tmp_path, deploy):
    drop = tmp_path / "drop"
    drop.mkdir()
    text = "站点编码,监测时间,所在街道,PM2.5,AQI\n1201A,2026-03-02 08:00,321202001,35.5,50\n1202A,2026-03-02 08:00,321202002,80,105\n"
    (drop / "空气质量.csv").write_bytes(text.encode("gbk"))
    rt = deploy({"air": DATASET}, _source(drop))
    result = run_source(rt.db, rt.config, "air", rt.clock)
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("ok", 2, 0)
    rows = rt.db.rows("select station, hour, pm25, aqi from air order by station")
    assert rows[0][0] == "1201A" and rows[0][2] == 35.5 and rows[1][3] == 105
    assert rows[0][1].isoformat().startswith("2026-03-02T00:00:00")  # 08:00 in Shanghai is 00:00 UTC
    assert not list(drop.glob("*.csv")) and (drop / "archive" / "空气质量.csv").exists()
    assert rt.db.data_version("dataset:air") >= 1


def test_bad_rows_go_to_quarantine_and_good_rows_of_the_same_file_still_load(tmp_path, deploy):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "a.tsv").write_text(
        "站点编码\t监测时间\t所在街道\tPM2.5\tAQI\n"
        "1201A\t2026-03-02 08:00\t321202001\t35\t50\n"
        "1201A\t2026-03-02 09:00\t321202001\tabc\t50\n"       # wrong type
        "1201A\t2026-03-02 10:00\t999999999\t30\t40\n"         # unknown area
        "1201A\t2026-03-02 11:00\t321202001\n"                 # malformed line (too few fields)
        "1202A\t2026-03-02 08:00\t321202002\t10\t20\n"
        "1202A\t2026-03-02 08:00\t321202002\t11\t21\n",        # duplicate key: the later row wins
        encoding="utf-8")
    rt = deploy({"air": DATASET}, _source(drop))
    result = run_source(rt.db, rt.config, "air", rt.clock)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (6, 2, 4)
    assert rt.db.rows("select station, pm25 from air order by station") == [("1201A", 35.0), ("1202A", 11.0)]
    reasons = sorted(store.quarantined(rt.db, "air").get_column("reason").to_list())
    assert any("PM2.5" in r or "pm25" in r and "abc" in r for r in reasons)
    assert any("未知区域代码「999999999」" in r for r in reasons)
    assert any("第 5 行有 3 个字段" in r for r in reasons)
    assert any("主键「1202A/" in r and "重复" in r for r in reasons)
    raws = [json.loads(r) for r in store.quarantined(rt.db, "air").get_column("raw").to_list()]
    assert any(r.get("pm25") == "abc" for r in raws)


def test_rerunning_the_same_file_neither_loses_nor_doubles(tmp_path, deploy):
    drop = tmp_path / "drop"
    drop.mkdir()
    body = "站点编码,监测时间,所在街道,PM2.5,AQI\n1201A,2026-03-02 08:00,321202001,35,50\n"
    (drop / "1.csv").write_text(body, encoding="utf-8")
    rt = deploy({"air": DATASET}, _source(drop))
    run_source(rt.db, rt.config, "air", rt.clock)
    (drop / "1.csv").write_text(body.replace(",35,", ",36,"), encoding="utf-8")  # same name, corrected value
    run_source(rt.db, rt.config, "air", rt.clock)
    assert rt.db.rows("select station, pm25 from air") == [("1201A", 36.0)]
    assert sorted(p.name for p in (drop / "archive").iterdir()) == ["1.1.csv", "1.csv"]


def test_unreadable_file_is_rejected_with_a_reason_file(tmp_path, deploy):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "bad.csv").write_bytes(b"\xff\xfe\x00garbage\x81\x00\xff")
    (drop / "wrong.csv").write_text("foo,bar\n1,2\n", encoding="utf-8")
    rt = deploy({"air": DATASET}, _source(drop, encoding="utf-8"))
    result = run_source(rt.db, rt.config, "air", rt.clock)
    assert result.status == "ok" and result.rows_loaded == 0 and result.rows_quarantined == 2
    reason = (drop / "rejected" / "bad.csv.reason.txt").read_text(encoding="utf-8")
    assert "编码" in reason
    assert "表头" in (drop / "rejected" / "wrong.csv.reason.txt").read_text(encoding="utf-8")


def test_xlsx_file_loads(tmp_path, deploy):
    drop = tmp_path / "drop"
    drop.mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    sheet.append(["1201A", "2026-03-02 08:00", "321202001", 35.5, 50])
    sheet.append(["1203A", "2026-03-02 08:00", "321203001", 12, 30])
    book.save(drop / "政务服务日报.xlsx")
    rt = deploy({"air": DATASET}, _source(drop))
    result = run_source(rt.db, rt.config, "air", rt.clock)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 0)
    assert rt.db.rows("select aqi from air order by station") == [(50,), (30,)]


def test_missing_folder_is_a_config_error_logged_once(tmp_path, deploy, caplog):
    caplog.set_level(logging.INFO, logger="connectors")
    rt = deploy({"air": DATASET}, _source(tmp_path / "nowhere"))
    first = run_source(rt.db, rt.config, "air", rt.clock)
    second = run_source(rt.db, rt.config, "air", rt.clock)
    assert first.error_kind == "config" and "接收目录不存在" in first.error
    assert second.status == "failed"
    assert sum("started failing" in r.message for r in caplog.records) == 1
    (tmp_path / "nowhere").mkdir()
    assert run_source(rt.db, rt.config, "air", rt.clock).status == "ok"
    assert sum("recovered" in r.message for r in caplog.records) == 1
    assert store.state(rt.db, "air").failing is False
