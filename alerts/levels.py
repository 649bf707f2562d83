"""Level changes applied by operators after a backtest: stored, audited (who, what, when, old value),
and laid over the configured indicator levels at every evaluation."""

from __future__ import annotations

from datetime import datetime

from alerts import store
from alerts.errors import AlertError, Forbidden
from cockpit.core.audit import Actor, audit
from cockpit.core.clock import FixedClock
from cockpit.core.config import Config
from cockpit.core.config.indicators import LevelRule
from cockpit.core.db import Database
from cockpit.core.i18n import N_

FIELDS = {"above": float, "below": float, "for": str, "hysteresis": float}


def parse_levels(items: list[str]) -> dict[str, dict[str, object]]:
    """`["yellow.above=250", "orange.for=3h"]` → {"yellow": {"above": 250.0}, "orange": {"for": "3h"}}.

    A value `none` removes the bound. Raises AlertError on anything else.
    """
    out: dict[str, dict[str, object]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        level, dot, name = key.partition(".")
        if not sep or not dot or level not in ("blue", "yellow", "orange", "red") or name not in FIELDS:
            raise AlertError(N_("Cannot read the level change {item}; write it as level.field=value."), item=item)
        try:
            value = None if raw.lower() == "none" else FIELDS[name](raw)
        except ValueError:
            raise AlertError(N_("Cannot read the level change {item}; write it as level.field=value."),
                             item=item) from None
        out.setdefault(level, {})[name] = value
    return out


def with_levels(config: Config, indicator_id: str, changes: dict[str, dict[str, object]]) -> Config:
    """The configuration with `changes` applied to one indicator's levels (validated like the config)."""
    ind = config.indicators[indicator_id]
    new_levels = dict(ind.levels)
    for level, values in changes.items():
        base = new_levels[level].model_dump(by_alias=True, exclude_none=True) if level in new_levels else {}
        for name, value in values.items():
            if value is None:
                base.pop(name, None)
            else:
                base[name] = value
        try:
            new_levels[level] = LevelRule.model_validate(base)
        except ValueError as exc:
            raise AlertError(N_("The level change is not valid: {error}"), error=str(exc).splitlines()[0]) from None
    indicators = dict(config.indicators)
    indicators[indicator_id] = ind.model_copy(update={"levels": new_levels})
    return config.model_copy(update={"indicators": indicators})


def effective_config(db: Database, config: Config) -> Config:
    """The configuration with every applied level change laid over it, in the order they were made."""
    rows = store.level_changes(db)
    for indicator_id, level, name, value in rows:
        if indicator_id not in config.indicators:
            continue
        parsed = None if value is None else FIELDS[name](value)
        config = with_levels(config, indicator_id, {level: {name: parsed}})
    return config


def apply(db: Database, config: Config, user_id: str, indicator_id: str, changes: dict[str, dict[str, object]],
          now: datetime) -> list[tuple[str, str, object, object]]:
    """Apply level changes (after a backtest); each field is stored and audited with its old value."""
    if indicator_id not in config.indicators:
        raise AlertError(N_("Unknown indicator {indicator}."), indicator=indicator_id)
    current = effective_config(db, config)
    with_levels(current, indicator_id, changes)  # validate before storing anything
    old_levels = current.indicators[indicator_id].levels
    done = []
    with db.transaction() as cur:
        for level, values in changes.items():
            old_rule = old_levels.get(level)
            for name, value in values.items():
                old = getattr(old_rule, "for_" if name == "for" else name) if old_rule else None
                store.insert_level_change(cur, indicator_id, level, name, value, old, user_id, now)
                done.append((level, name, old, value))
    for level, name, old, value in done:
        audit(db, Actor(user_id), "rule.level_change", f"indicator:{indicator_id}",
              {"level": level, "field": name, "old": old, "new": value}, clock=FixedClock(now))
    return done


TUNE_ROLES = frozenset({"center_operator", "admin"})


def apply_as(db: Database, config: Config, user, indicator_id: str, changes: dict[str, dict[str, object]],
             now: datetime) -> list[tuple[str, str, object, object]]:
    """`apply` for a person: only a command center operator of the whole city (or an administrator) may change
    a rule that every district's warnings follow."""
    if user.role not in TUNE_ROLES or (user.role == "center_operator" and user.area_code != config.city.code):
        audit(db, Actor(user.user_id), "rule.level_change", f"indicator:{indicator_id}", None, "denied",
              clock=FixedClock(now))
        raise Forbidden(N_("Only the city command center may change warning levels."))
    return apply(db, config, user.user_id, indicator_id, changes, now)
