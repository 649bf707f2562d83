"""The facts of an indicator a person reads on its detail and catalog pages: 口径, source, owner, thresholds."""

from __future__ import annotations

from cockpit.core import store as core_store
from cockpit.core.config import Config
from cockpit.core.config.indicators import LEVELS, IndicatorConfig
from cockpit.core.db import Database
from cockpit.core.i18n import N_, _
from layouts.components.tiles import LEVEL_LABELS
from layouts.format import figure

DIRECTIONS = {"higher_better": N_("Higher is better"), "lower_better": N_("Lower is better"),
              "band": N_("Best near the target"), "volume": N_("Volume (no good or bad)")}
GRAIN_NAMES = {"hour": N_("hourly"), "day": N_("daily"), "week": N_("weekly"), "month": N_("monthly"),
               "year": N_("yearly")}


def thresholds_text(ind: IndicatorConfig) -> str:
    """The warning levels in words, most severe first: 红色 < 95 %; 黄色 < 99 %."""
    parts = []
    for level in reversed(LEVELS):
        rule = ind.levels.get(level)
        if rule is None:
            continue
        conds = []
        if rule.below is not None:
            conds.append(f"< {figure(rule.below, ind.unit, scale=False)}")
        if rule.above is not None:
            conds.append(f"> {figure(rule.above, ind.unit, scale=False)}")
        if rule.change is not None:
            conds.append(_("change over {pct}% in {window}", pct=rule.change.pct or rule.change.abs or "",
                           window=rule.change.window))
        if rule.baseline is not None:
            conds.append(_("{pct}% off the seasonal baseline", pct=rule.baseline.deviation_pct))
        if rule.for_:
            conds.append(_("for {duration}", duration=rule.for_))
        parts.append(f"{_(LEVEL_LABELS[level])} " + " ".join(conds))
    return "; ".join(parts) if parts else _("No warning levels")


def source_text(config: Config, ind: IndicatorConfig) -> str:
    """The dataset the indicator reads (its Chinese name), or the indicators it is computed from."""
    if ind.dataset:
        ds = config.datasets.get(ind.dataset)
        return ds.name if ds else ind.dataset
    inputs = getattr(ind.measure, "inputs", None) or list(getattr(ind.measure, "components", {}) or {})
    return _("Computed from: {names}", names=", ".join(config.indicators[i].name for i in inputs
                                                        if i in config.indicators))


def owner_text(db: Database, ind: IndicatorConfig) -> str:
    """The responsible unit's name."""
    if not ind.owner:
        return "—"
    unit = core_store.unit(db, ind.owner)
    return unit["name"] if unit else ind.owner


def facts(db: Database, config: Config, iid: str) -> list[tuple[str, str]]:
    """(label, text) rows describing an indicator."""
    ind = config.indicators[iid]
    return [
        (_("Definition"), ind.definition or "—"),
        (_("Unit"), ind.unit or "—"),
        (_("Direction"), _(DIRECTIONS[ind.direction])),
        (_("Target"), str(figure(ind.target, ind.unit, scale=False)) if ind.target is not None else "—"),
        (_("Warning levels"), thresholds_text(ind)),
        (_("Source"), source_text(config, ind)),
        (_("Responsible unit"), owner_text(db, ind)),
        (_("Periods"), ", ".join(_(GRAIN_NAMES[g]) for g in ind.grains)),
        (_("Updated every"), ind.update_frequency),
        (_("Definition version"), str(ind.version)),
    ]
