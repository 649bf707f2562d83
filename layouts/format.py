"""How figures read: Chinese magnitudes (万, 亿), changes (同比/环比), data age. Missing is `—`, never 0.

Every figure on every page goes through here, so that a unit and a scale are never lost between a value and
its label.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cockpit.core.i18n import N_, _, current_locale, fmt_number

MISSING = "—"
# (threshold, msgid of the scale word); Chinese counts in 万 and 亿, English in thousands, millions, billions.
_SCALES = {
    "zh_CN": ((1e8, N_("hundred million")), (1e4, N_("ten thousand"))),
    "en": ((1e9, N_("billion")), (1e6, N_("million")), (1e3, N_("thousand"))),
}


@dataclass(frozen=True)
class Figure:
    """A value ready to show: the number text and the unit text (the scale word, if any, joined to the unit)."""

    text: str
    unit: str
    missing: bool = False

    def __str__(self) -> str:
        return self.text if self.missing or not self.unit else f"{self.text} {self.unit}"


def auto_digits(value: float) -> int:
    """Decimals that keep three significant figures for small values and none for large ones."""
    size = abs(value)
    if size >= 100:
        return 0
    if size >= 10:
        return 1
    return 2 if size else 0


def figure(value: float | int | None, unit: str = "", digits: int | None = None, scale: bool = True) -> Figure:
    """`value` in `unit`, scaled to 万/亿 (thousand/million in English) from 10,000 on.

    Only counts reach 10,000 in the catalog (rates, indices, concentrations and durations stay below it).

    Args:
        digits: decimals; chosen from the magnitude when None.
        scale: allow 万/亿 scaling.
    """
    if value is None or value != value:  # None or NaN: missing, never 0
        return Figure(MISSING, unit, missing=True)
    word = ""
    if scale and unit != "%":
        for threshold, msgid in _SCALES.get(current_locale(), _SCALES["zh_CN"]):
            if abs(value) >= threshold:
                value, word = value / threshold, _(msgid)
                digits = 2 if digits is None else digits
                break
    trim = False
    if digits is None and unit == "%":  # 99.98 % must not read as 100.0 %
        digits, trim = 2, True
    if digits is None:
        digits = 0 if float(value).is_integer() and abs(value) >= 1 else auto_digits(value)
    text = fmt_number(value, digits)
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if word:
        joiner = "" if current_locale() == "zh_CN" else " "
        return Figure(text, f"{word}{joiner}{unit}".strip())
    return Figure(text, unit)


def change(pct: float | None) -> str:
    """A relative change as `↑3.2%` / `↓1.0%` / `持平`; `—` when it cannot be computed."""
    if pct is None or pct != pct:
        return MISSING
    if abs(pct) < 0.05:
        return _("flat")
    arrow = "↑" if pct > 0 else "↓"
    return f"{arrow}{fmt_number(abs(pct), 1)}%"


def change_tone(pct: float | None, direction: str) -> str:
    """`good`, `bad` or `neutral`: whether a change is an improvement in the indicator's direction."""
    if pct is None or abs(pct) < 0.05 or direction in ("volume", "band"):
        return "neutral"
    better = pct > 0 if direction == "higher_better" else pct < 0
    return "good" if better else "bad"


def age(delta: timedelta) -> str:
    """How old a figure is, in the largest whole unit: 刚刚 / 5分钟前 / 3小时前 / 2天前."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return _("just now")
    if seconds < 3600:
        return _("{n} min ago", n=seconds // 60)
    if seconds < 86400:
        return _("{n} h ago", n=seconds // 3600)
    return _("{n} days ago", n=seconds // 86400)


def period_label(start: datetime | None, grain: str, tz: str) -> str:
    """The data time of a figure as a person names its period: 11月23日 14时, 11月23日, 第47周, 2026年11月."""
    if start is None:
        return MISSING
    from zoneinfo import ZoneInfo

    local = start.astimezone(ZoneInfo(tz))
    if grain == "hour":
        return _("{m}/{d} {h}:00", m=local.month, d=local.day, h=f"{local.hour:02d}")
    if grain == "day":
        return _("{m}/{d}", m=local.month, d=local.day)
    if grain == "week":
        return _("week of {m}/{d}", m=local.month, d=local.day)
    if grain == "month":
        return _("{y}/{m}", y=local.year, m=local.month)
    return _("year {y}", y=local.year)
