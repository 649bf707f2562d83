"""Colours and labels of the district map: each district by its vital-signs index level."""

from __future__ import annotations

from datetime import datetime

from cockpit.core import store
from cockpit.core.config import Config
from cockpit.core.db import Database
from cockpit.core.i18n import _
from cockpit.core.scope import contains
from indicators import queries
from layouts.charts import LEVEL_COLOURS, NORMAL
from layouts.format import figure
from layouts.readings import display_grain, level_of

NO_DATA = "#cfd8dc"
SELECTED_OUTLINE = "#0b3d6e"


def index_fill(db: Database, config: Config, area_code: str, now: datetime,
               viewer_area: str) -> tuple[dict[str, str], dict[str, str]]:
    """(fill colour, tooltip) per district code: coloured by the index level, grey without data; districts
    outside `area_code` (when it is one district or street) are drawn faded, and districts outside the
    viewer's own scope (`viewer_area`) show their name only, never their figures."""
    iid = config.layouts.index_indicator
    ind = config.indicators.get(iid)
    fill, labels = {}, {}
    for d in store.areas(db, level="district"):
        inside = contains(area_code, d.code) or d.code == area_code[:6]
        value = None
        if not contains(viewer_area, d.code):
            fill[d.code], labels[d.code] = "#e8edf2", d.name
            continue
        if ind is not None:
            cur = queries.current(db, config, iid, d.code, display_grain(ind))
            value = cur.value if cur.period_start is not None and cur.period_start <= now else None
        level = level_of(ind, value) if ind is not None else None
        colour = NO_DATA if value is None else LEVEL_COLOURS.get(level or "", _normal_shade(value, ind.target))
        fill[d.code] = colour if inside else "#e8edf2"
        text = str(figure(value, ind.unit if ind else "", digits=1)) if value is not None else _("No data")
        labels[d.code] = f"{d.name} · {ind.name if ind else ''} {text}"
    return fill, labels


def _normal_shade(value: float, target: float | None) -> str:
    """Dark green at or above target, lighter green below it while no level is breached."""
    return NORMAL if target is None or value >= target else "#6cc497"
