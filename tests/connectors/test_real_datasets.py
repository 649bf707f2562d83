"""The real exports in ../shared/datasets load through configuration alone (tests/connectors/configs/)."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from cockpit import bootstrap
from connectors import store
from connectors.runner import ingest

CONFIGS = Path(__file__).resolve().parent / "configs"
HOTLINE = {"boston": "boston311-100.csv", "la": "MyLA311_Service_Request_Data_2017_Subset.csv",
           "nyc": "nyc311_socrata_20231207_kexinjiao.csv", "sf": "sf311_cases_sample_10000.csv"}


def _records(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for row in csv.reader(fh) if row) - 1


def test_hotline_csvs_load_by_configuration(datasets_dir, tmp_path, monkeypatch, clock):
    drop = tmp_path / "drop"
    for sid, name in HOTLINE.items():
        (drop / sid).mkdir(parents=True)
        shutil.copy(datasets_dir / "hotline" / name, drop / sid / name)
    monkeypatch.setenv("COCKPIT_TEST_DB", str(tmp_path / "cockpit.duckdb"))
    monkeypatch.setenv("COCKPIT_TEST_DROP", str(drop))
    rt = bootstrap.open_runtime(CONFIGS / "hotline.yaml", clock=clock)
    results = {r.source_id: r for r in ingest(rt.db, rt.config, rt.clock)}
    for sid, name in HOTLINE.items():
        r = results[sid]
        assert r.status == "ok", (sid, r.error)
        assert r.rows_loaded + r.rows_quarantined == _records(datasets_dir / "hotline" / name), sid
        assert (drop / sid / "archive" / name).exists()
    assert results["boston"].rows_loaded == 100 and results["la"].rows_loaded == 9999
    assert results["nyc"].rows_loaded == 1000 and results["sf"].rows_loaded == 10000
    # Boston writes blanks as a single space: they are no value, not " ".
    assert rt.db.one("select count(*) from boston311 where closure_reason = ' '")[0] == 0
    assert rt.db.one("select count(*) from boston311 where closure_reason is null")[0] > 0
    # LA: `MM/DD/YYYY hh:mm:ss AM/PM` in Los Angeles time, stored in UTC.
    created = rt.db.one("select created from la311 where sr_number = '1-870704831'")[0]
    assert created.astimezone(UTC) == datetime(2018, 1, 1, 7, 59, 58, tzinfo=UTC)
    # NYC ISO times with milliseconds, New York time.
    nyc = rt.db.one("select created_date from nyc311 where unique_key = '59676143'")[0]
    assert nyc.astimezone(UTC) == datetime(2023, 12, 8, 17, 0, tzinfo=UTC)
    rt.db.close()


def test_open311_json_loads_with_the_preset(datasets_dir, tmp_path, monkeypatch, clock, http_server):
    url, script = http_server
    chicago = json.loads((datasets_dir / "open311/chicago_real/chicago_open311_requests_extensions.json")
                         .read_text(encoding="utf-8"))

    def page(query, _headers):
        n, size = int(query["page"][0]), int(query["page_size"][0])
        return json.dumps(chicago[(n - 1) * size: n * size])

    script.on("/requests.json", (200, page))
    monkeypatch.setenv("COCKPIT_TEST_DB", str(tmp_path / "cockpit.duckdb"))
    monkeypatch.setenv("COCKPIT_TEST_API", url)
    rt = bootstrap.open_runtime(CONFIGS / "open311.yaml", clock=clock)
    [result] = ingest(rt.db, rt.config, rt.clock)
    assert result.status == "ok", result.error
    assert result.rows_loaded == len(chicago) == 50 and result.rows_quarantined == 0
    assert script.requests[0]["query"]["api_key"] == ["test-key"]
    first = chicago[0]
    row = rt.db.one("select ward, requested_datetime from open311_requests where service_request_id = ?",
                    [first["service_request_id"]])
    assert row[0] == int(first["extended_attributes"]["ward"])
    assert row[1].astimezone(UTC) == datetime.fromisoformat(first["requested_datetime"]).astimezone(UTC)
    # The next run asks only for what changed since the newest update seen (`start_date`).
    ingest(rt.db, rt.config, rt.clock)
    newest = max(datetime.fromisoformat(r["updated_datetime"]) for r in chicago).astimezone(UTC)
    assert script.requests[-1]["query"]["start_date"] == [newest.strftime("%Y-%m-%dT%H:%M:%SZ")]
    rt.db.close()


def test_open311_spec_examples_with_invalid_json_are_read_tolerantly(datasets_dir, tmp_path, monkeypatch, clock,
                                                                      http_server):
    url, script = http_server
    text = (datasets_dir / "open311/spec_examples/get_service_requests__json-service-requests.json").read_text()
    try:
        json.loads(text)
        raise AssertionError("the spec example was expected to be invalid JSON")
    except json.JSONDecodeError:
        pass
    script.on("/requests.json", (200, text))
    monkeypatch.setenv("COCKPIT_TEST_DB", str(tmp_path / "cockpit.duckdb"))
    monkeypatch.setenv("COCKPIT_TEST_API", url)
    rt = bootstrap.open_runtime(CONFIGS / "open311.yaml", clock=clock)
    [result] = ingest(rt.db, rt.config, rt.clock)
    assert result.status == "ok", result.error
    assert result.rows_loaded >= 1 and store.quarantined(rt.db).height == 0
    assert rt.db.one("select service_code from open311_requests where service_request_id = '638344'")[0] == "006"
    rt.db.close()


AIR = {"cnemc": ["china_sites_20190114.csv", "china_sites_20190715.csv"],
       "taizhou": ["taizhou_5stations_201901_hourly_tidy.csv"], "prsa": ["PRSA_12stations_2017-01.csv"]}


def test_air_quality_files_wide_and_tidy_load_by_configuration(datasets_dir, tmp_path, monkeypatch, clock):
    drop = tmp_path / "drop"
    for sid, names in AIR.items():
        (drop / sid).mkdir(parents=True)
        for name in names:
            shutil.copy(datasets_dir / "air_quality" / name, drop / sid / name)
    monkeypatch.setenv("COCKPIT_TEST_DB", str(tmp_path / "cockpit.duckdb"))
    monkeypatch.setenv("COCKPIT_TEST_DROP", str(drop))
    rt = bootstrap.open_runtime(CONFIGS / "air_quality.yaml", clock=clock)
    results = {r.source_id: r for r in ingest(rt.db, rt.config, rt.clock)}
    assert all(r.status == "ok" and r.rows_quarantined == 0 for r in results.values()), results
    # Wide → long: the published AQI of station 1001A at 00:00 on the haze day.
    aqi = rt.db.one("""select value from cnemc_hourly where date = '2019-01-14' and hour = 0 and type = 'AQI'
                       and station = '1001A'""")[0]
    assert aqi == 302
    assert rt.db.one("select count(distinct date) from cnemc_hourly")[0] == 2
    assert rt.db.one("select count(*) from cnemc_hourly where value is null")[0] == 0   # blanks are not rows
    # Tidy 泰州 file: every station-hour once; 1208A reports nothing all month (null, not zero).
    assert results["taizhou"].rows_loaded == 3720
    assert rt.db.one("select count(aqi) from taizhou_aq where station_code = '1208A'")[0] == 0
    # UCI file: `NA` is no value.
    assert results["prsa"].rows_loaded == 8928
    assert rt.db.one("select count(*) from prsa where pm25 is null")[0] > 0
    rt.db.close()
