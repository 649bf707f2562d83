"""城市运行体征指数 (city vital-signs index, 0–100): normalisation of component indicators and weighting.

Normalisation of one component value v with target T (pure, documented for the catalog page):
- the *bad bound* B is the red-level bound in the indicator's direction (red.below for higher_better,
  red.above for lower_better), else the most severe bound of any level, else T/2 (higher_better) or
  2T (lower_better; T + 1 when T is 0);
- score = 100 when v meets the target, 0 when v is at or beyond B, linear in between;
- `band` indicators score by their distance from T against the distance of B from T;
- `volume` indicators cannot be scored and are refused by the configuration check (they have no target).
The index is the weighted mean of the component scores present for the area and period; missing
components are left out and the remaining weights renormalised, so no-data never counts as 0 or 100.
"""

from __future__ import annotations

from collections.abc import Mapping

from cockpit.core.config.indicators import LEVELS, IndicatorConfig


def bad_bound(ind: IndicatorConfig) -> float:
    """The value at which a component scores 0."""
    target = float(ind.target if ind.target is not None else 0)
    key = "above" if ind.direction == "lower_better" else "below"
    bounds = [getattr(ind.levels[lv], key) for lv in reversed(LEVELS) if lv in ind.levels]
    bounds = [b for b in bounds if b is not None]
    if ind.direction == "band":
        bounds = [b for lv in reversed(LEVELS) if lv in ind.levels
                  for b in (ind.levels[lv].above, ind.levels[lv].below) if b is not None]
    if bounds:
        return float(bounds[0])
    if ind.direction == "lower_better":
        return target * 2 if target else target + 1
    return target / 2


def score(value: float, ind: IndicatorConfig) -> float:
    """The 0–100 score of one component value (see the module docstring)."""
    target = float(ind.target if ind.target is not None else 0)
    bad = bad_bound(ind)
    if ind.direction == "band":
        span = abs(bad - target) or 1.0
        return _clamp(100 * (1 - abs(value - target) / span))
    if ind.direction == "lower_better":
        if value <= target:
            return 100.0
        return _clamp(100 * (bad - value) / (bad - target)) if bad > target else 0.0
    if value >= target:
        return 100.0
    return _clamp(100 * (value - bad) / (target - bad)) if target > bad else 0.0


def index(values: Mapping[str, float], weights: Mapping[str, float],
          indicators: Mapping[str, IndicatorConfig]) -> float | None:
    """The weighted mean score of the components present in `values`; None when none is present."""
    present = [(iid, w) for iid, w in weights.items() if values.get(iid) is not None]
    total = sum(w for _, w in present)
    if not present or total <= 0:
        return None
    return round(sum(w * score(values[iid], indicators[iid]) for iid, w in present) / total, 2)


def _clamp(x: float) -> float:
    return max(0.0, min(100.0, x))
