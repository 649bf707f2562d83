"""Offline district map: boundary data, area list and the folium HTML builder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from layouts.components.district_map import LEAFLET_CSS, LEAFLET_JS, district_map_html

ROOT = Path(__file__).resolve().parents[2]
BOUNDARIES = ROOT / "assets" / "boundaries" / "taizhou_districts.geojson"
AREAS = ROOT / "config" / "taizhou" / "areas.yaml"

DISTRICTS = {
    "321202": "海陵区",
    "321203": "高港区",
    "321204": "姜堰区",
    "321281": "兴化市",
    "321282": "靖江市",
    "321283": "泰兴市",
}
EXTERNAL_URL = re.compile(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", re.IGNORECASE)


@pytest.fixture(scope="module")
def boundaries() -> dict:
    return json.loads(BOUNDARIES.read_text(encoding="utf-8"))


def _labels() -> dict[str, str]:
    return {code: f"{name} 事件 {i} 件" for i, (code, name) in enumerate(DISTRICTS.items())}


def test_boundaries_have_exactly_the_six_districts(boundaries):
    assert boundaries["type"] == "FeatureCollection"
    assert boundaries.get("attribution")
    districts = {
        f["properties"]["code"]: f["properties"]["name"]
        for f in boundaries["features"]
        if f["properties"].get("level", "district") == "district"
    }
    assert districts == DISTRICTS
    assert BOUNDARIES.stat().st_size < 300_000


def test_map_without_tiles_loads_nothing_from_the_internet(boundaries):
    html = district_map_html(boundaries, {"321202": "#e53935"}, _labels())
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert EXTERNAL_URL.search(html) is None, EXTERNAL_URL.search(html)
    assert f'src="{LEAFLET_JS}"' in html
    assert f'href="{LEAFLET_CSS}"' in html
    for unwanted in ("jquery", "bootstrap", "font-awesome", "fontawesome", "awesome-markers", "l.tilelayer"):
        assert unwanted not in html.lower()
    for label in _labels().values():
        assert label in html
    assert "#e53935" in html and "#cfd8dc" in html  # given fill and default grey
    assert '"cockpit-area-click"' in html and "window.parent.postMessage" in html


def test_labels_are_html_escaped(boundaries):
    html = district_map_html(boundaries, {}, {"321202": '<img src=x onerror="alert(1)">'})
    assert "<img" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_tile_url_is_used_when_given(boundaries):
    url = "https://tiles.intranet.example/{z}/{x}/{y}.png"
    html = district_map_html(boundaries, {}, _labels(), tile_url=url, tile_attribution="内网底图")
    assert url in html
    assert "L.tileLayer" in html
    assert json.dumps("内网底图")[1:-1] in html  # folium embeds options as ASCII JSON
    assert f'src="{LEAFLET_JS}"' in html


def test_areas_yaml_lists_city_districts_and_streets():
    areas = yaml.safe_load(AREAS.read_text(encoding="utf-8"))
    by_level: dict[str, list[dict]] = {}
    for area in areas:
        assert isinstance(area["code"], str) and area["name"].strip()
        by_level.setdefault(area["level"], []).append(area)
    assert set(by_level) == {"city", "district", "street"}
    (city,) = by_level["city"]
    assert areas[0] is city and city["code"] == "321200" and "parent" not in city
    assert {d["code"]: d["name"] for d in by_level["district"]} == DISTRICTS
    assert all(d["parent"] == "321200" for d in by_level["district"])
    assert {d["kind"] for d in by_level["district"]} == {"urban_district", "county_city"}
    assert len(by_level["street"]) == 88
    for street in by_level["street"]:
        assert re.fullmatch(r"\d{9}", street["code"]), street
        assert street["parent"] in DISTRICTS
        assert street["code"][:6] == street["parent"]
    assert len({a["code"] for a in areas}) == len(areas)
    names = {a["name"] for a in areas}
    assert {"大𫭢镇", "沈𫭢镇"} <= names  # CJK Extension characters kept exactly
