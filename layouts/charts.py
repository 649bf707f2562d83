"""The one chart style every figure shares (plotly template), and the few chart shapes the pages draw.

Plotly is served by Dash from the local bundle; nothing is fetched (no topojson, no fonts, no mode bar
links). Colours follow the warning standard in assets/cockpit.css.
"""

from __future__ import annotations

from datetime import datetime

import plotly.graph_objects as go
import plotly.io as pio

LEVEL_COLOURS = {"blue": "#1f6feb", "yellow": "#e3b300", "orange": "#f06a00", "red": "#d1242f"}
NORMAL = "#1a7f5a"
BRAND = "#0b3d6e"
FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", system-ui, sans-serif'
# dcc.Graph config: no mode bar (its buttons link out), no topojson from a CDN, no plotly logo
GRAPH_CONFIG = {"displayModeBar": False, "displaylogo": False, "topojsonURL": "/assets/", "responsive": True}

pio.templates["cockpit"] = go.layout.Template(layout=go.Layout(
    font={"family": FONT, "size": 13, "color": "#1d2733"},
    colorway=[BRAND, "#2f81f7", "#1a7f5a", "#f06a00", "#8250df", "#d1242f"],
    paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
    margin={"l": 48, "r": 16, "t": 16, "b": 36},
    # numeric dates (11/23, 14:00): month names would be English in a Chinese page
    xaxis={"gridcolor": "#e4e9ef", "linecolor": "#c5d0db", "zeroline": False, "tickformatstops": [
        {"dtickrange": [None, 86_400_000], "value": "%m/%d %H:%M"},
        {"dtickrange": [86_400_000, 28 * 86_400_000], "value": "%m/%d"},
        {"dtickrange": [28 * 86_400_000, None], "value": "%Y/%m"}]},
    yaxis={"gridcolor": "#e4e9ef", "linecolor": "#c5d0db", "zeroline": False},
    hoverlabel={"font": {"family": FONT}},
    legend={"orientation": "h", "y": -0.18},
    separators=".,",
))
pio.templates["cockpit_dark"] = go.layout.Template(pio.templates["cockpit"])
pio.templates["cockpit_dark"].layout.update(
    font={"color": "#dbe7f5"}, colorway=["#4fc3f7", "#81c784", "#ffb74d", "#ba68c8", "#e57373"],
    xaxis={"gridcolor": "#1d3a5c", "linecolor": "#2c4f78"}, yaxis={"gridcolor": "#1d3a5c", "linecolor": "#2c4f78"},
)


def template(dark: bool = False) -> str:
    """The template name for light pages or the dark big screen."""
    return "cockpit_dark" if dark else "cockpit"


def sparkline(times: list[datetime], values: list[float | None], colour: str = BRAND, dark: bool = False) -> dict:
    """A tiny line without axes; gaps stay gaps (missing is not 0). A plain figure dict: a page shows one per tile,
    and building a validated `go.Figure` for each cost more than the page's queries."""
    # No fill to zero: the axis hugs the data, so a rate moving between 96 % and 99 % still shows its shape.
    data = [{"type": "scatter", "x": list(times), "y": list(values), "mode": "lines",
             "line": {"color": colour, "width": 2}, "connectgaps": False, "hoverinfo": "skip"}]
    last = next(((t, v) for t, v in zip(reversed(times), reversed(values), strict=True) if v is not None), None)
    if last is not None:
        data.append({"type": "scatter", "x": [last[0]], "y": [last[1]], "mode": "markers",
                     "marker": {"color": colour, "size": 5}, "hoverinfo": "skip"})
    # the template's transparent backgrounds and font, spelled out (a dict figure cannot name a template)
    layout = {"paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)", "font": {"family": FONT},
              "margin": {"l": 0, "r": 0, "t": 2, "b": 2}, "height": 44, "xaxis": {"visible": False},
              "yaxis": {"visible": False}, "showlegend": False}
    return {"data": data, "layout": layout}


def trend(times: list[datetime], values: list[float | None], unit: str, target: float | None = None,
          bands: list[tuple[str, float | None, float | None]] | None = None, dark: bool = False,
          height: int | None = 320, target_label: str = "", last_year: tuple[list, list] | None = None,
          last_year_label: str = "", name: str = "") -> go.Figure:
    """A value over time with its target line and the warning bands (level, low, high) shaded behind."""
    fig = go.Figure()
    for level, low, high in bands or []:
        fig.add_hrect(y0=low, y1=high, fillcolor=LEVEL_COLOURS[level], opacity=0.10, line_width=0, layer="below")
    if last_year is not None and last_year[0]:
        fig.add_trace(go.Scatter(x=last_year[0], y=last_year[1], mode="lines", name=last_year_label,
                                 line={"color": "#9fb3c8", "width": 1.5, "dash": "dot"}, connectgaps=False))
    fig.add_trace(go.Scatter(x=times, y=values, mode="lines+markers" if len(times) < 40 else "lines",
                             line={"color": BRAND if not dark else "#4fc3f7", "width": 2.5}, connectgaps=False,
                             name=name or unit, hovertemplate="%{x|%Y-%m-%d %H:%M}<br>%{y:.2f} " + unit + "<extra></extra>"))
    if target is not None:
        fig.add_hline(y=target, line={"color": NORMAL, "dash": "dash", "width": 1.5},
                      annotation_text=target_label, annotation_position="top left")
    fig.update_layout(template=template(dark), showlegend=last_year is not None, yaxis_title=unit or None,
                      hovermode="x unified")
    if height:
        fig.update_layout(height=height)
    return fig


def bars(names: list[str], values: list[float | None], unit: str, colours: list[str] | None = None,
         dark: bool = False, height: int = 300) -> go.Figure:
    """Horizontal bars, first name on top (a ranking or a breakdown by sub-area)."""
    fig = go.Figure(go.Bar(x=values, y=names, orientation="h", marker_color=colours or BRAND,
                           hovertemplate="%{y}: %{x:.2f} " + unit + "<extra></extra>"))
    fig.update_layout(template=template(dark), height=height, yaxis={"autorange": "reversed"},
                      xaxis_title=unit or None, margin={"l": 96, "r": 16, "t": 8, "b": 36})
    return fig
