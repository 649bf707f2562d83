"""A digest of an indicator's definition: when it changes, the indicator is recomputed in full."""

from __future__ import annotations

import hashlib
import json

from cockpit.core.config import Config
from cockpit.core.config.indicators import IndicatorConfig


def config_hash(config: Config, ind: IndicatorConfig) -> str:
    """Digest of everything that changes the indicator's values: its definition, dataset, time zone."""
    ds = config.datasets.get(ind.dataset) if ind.dataset else None
    text = json.dumps([ind.model_dump(mode="json", by_alias=True), ds.model_dump(mode="json") if ds else None,
                       config.city.timezone, config.city.code], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
