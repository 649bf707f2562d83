"""Offline district choropleth map rendered with folium.

The map is a standalone HTML document meant for an ``<iframe>`` in the Dash
page. It loads nothing from the internet: only Leaflet, served by Dash from
``assets/vendor/leaflet/``; no tile layer unless the caller supplies one
(e.g. an intranet tile server).

Clicking a district posts ``{type: "cockpit-area-click", code: "<code>"}`` to
the parent window so the hosting page can drill down.

Boundaries are CGCS2000 lon/lat (``assets/boundaries/taizhou_districts.geojson``),
which Leaflet treats as WGS84; the difference is centimetres.
"""

from __future__ import annotations

import html
import json

import folium
from branca.element import Element, MacroElement
from folium.template import Template

from cockpit.core.i18n import _

LEAFLET_JS = "/assets/vendor/leaflet/leaflet.js"
LEAFLET_CSS = "/assets/vendor/leaflet/leaflet.css"
DEFAULT_FILL = "#cfd8dc"
BACKGROUND = "#f4f6f8"


class _DistrictLayer(MacroElement):
    """District polygons with fill colours, tooltips, hover and click-to-parent."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            var data = {{ this.payload }};
            map.attributionControl.setPrefix("Leaflet");  // no external link/flag
            L.control.scale({imperial: false}).addTo(map);
            var outline = L.geoJSON(data.outline, {
                interactive: false,
                style: {color: "#455a64", weight: 2.5, fill: false}
            });
            L.geoJSON(data.districts, {
                attribution: data.attribution,
                style: function (f) {
                    return {color: "#ffffff", weight: 1.5, fillColor: f.properties.fill, fillOpacity: 0.85};
                },
                onEachFeature: function (f, layer) {
                    layer.bindTooltip(f.properties.label, {sticky: true});
                    layer.on("mouseover", function () { layer.setStyle({weight: 3, color: "#37474f"}); layer.bringToFront(); });
                    layer.on("mouseout", function () {
                        layer.setStyle({weight: 1.5, color: "#ffffff"});
                        outline.bringToFront();
                    });
                    layer.on("click", function () {
                        // srcdoc iframes report location.origin "null"; window.origin is the inherited one.
                        var origin = window.location.origin === "null" ? window.origin : window.location.origin;
                        window.parent.postMessage({type: "cockpit-area-click", code: f.properties.code}, origin);
                    });
                }
            }).addTo(map);
            outline.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, districts: list[dict], outline: list[dict], attribution: str):
        super().__init__()
        self._name = "DistrictLayer"
        payload = {
            "districts": {"type": "FeatureCollection", "features": districts},
            "outline": {"type": "FeatureCollection", "features": outline},
            "attribution": attribution,
        }
        # Readable CJK in the page; "<" escaped so no "</script>" can break out.
        self.payload = json.dumps(payload, ensure_ascii=False).replace("<", "\\u003c")


def _bounds(features: list[dict]) -> list[list[float]]:
    """Return ``[[south, west], [north, east]]`` over all feature coordinates."""
    xs: list[float] = []
    ys: list[float] = []

    def walk(coords) -> None:
        if coords and isinstance(coords[0], (int, float)):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for part in coords:
                walk(part)

    for feature in features:
        walk(feature["geometry"]["coordinates"])
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


def district_map_html(
    boundaries: dict,
    fill: dict[str, str],
    labels: dict[str, str],
    tile_url: str | None = None,
    tile_attribution: str | None = None,
    height_px: int | None = None,
) -> str:
    """Render the district map as a complete standalone HTML document.

    ``boundaries`` is the GeoJSON FeatureCollection from
    ``assets/boundaries/taizhou_districts.geojson`` (features with ``code``,
    ``name`` and optional ``level``; a ``level: city`` feature is drawn as an
    outline only). ``fill`` maps 6-digit codes to CSS colours (grey when
    absent); ``labels`` maps codes to tooltip text (HTML-escaped; defaults to
    the district name). ``tile_url`` is an XYZ URL template of an intranet tile
    server; without it no tile layer is added at all.
    """
    districts, outline = [], []
    for feature in boundaries["features"]:
        props = feature.get("properties") or {}
        code = str(props.get("code", ""))
        if props.get("level") == "city":
            outline.append({"type": "Feature", "properties": {"code": code}, "geometry": feature["geometry"]})
            continue
        districts.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {
                    "code": code,
                    "fill": fill.get(code, DEFAULT_FILL),
                    "label": html.escape(str(labels.get(code, props.get("name", code)))),
                },
            }
        )
    if not districts:
        raise ValueError("boundaries contain no district features")

    (south, west), (north, east) = bounds = _bounds(districts + outline)
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=9,
        tiles=None,
        height=f"{int(height_px)}px" if height_px else "100%",  # default: fill the hosting iframe
        zoom_snap=0.25,
    )
    # Only the vendored Leaflet: drop folium's CDN jquery/bootstrap/font-awesome.
    m.default_js = [("leaflet", LEAFLET_JS)]
    m.default_css = [("leaflet_css", LEAFLET_CSS)]
    m.get_root().header.add_child(
        Element(
            f"<style>.folium-map.leaflet-container {{ background: {BACKGROUND}; }}"
            ".leaflet-interactive:focus { outline: none; }</style>"
        ),
        name="cockpit_background",
    )
    if tile_url:
        folium.TileLayer(tiles=tile_url, attr=tile_attribution or _("Base map"), name="basemap").add_to(m)
    attribution = html.escape(str(boundaries.get("attribution", "")))
    m.add_child(_DistrictLayer(districts, outline, attribution))
    m.fit_bounds(bounds, padding=(8, 8))
    return m.get_root().render()
