"""The message catalog: every string a user reads goes through `_()`.

Message ids are English; `locale/zh_CN/LC_MESSAGES/messages.po` is the Simplified Chinese catalog (the default
language) and `locale/en/...` the English one. Catalogs are compiled in memory at first use, so no build step
is needed. Numbers and dates are formatted per locale with Babel.
"""

from __future__ import annotations

import functools
import io
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime as _format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import parse_pattern
from babel.support import Translations

LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"
CATALOG_DIR = Path(__file__).parent / "locale"

_current: ContextVar[str] = ContextVar("cockpit_locale", default=DEFAULT_LOCALE)


def catalog_path(locale: str) -> Path:
    """Where the .po catalog of `locale` lives."""
    return CATALOG_DIR / locale / "LC_MESSAGES" / "messages.po"


@cache
def _translations(locale: str) -> Translations:
    with catalog_path(locale).open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf)


def set_locale(locale: str | None) -> None:
    """Use `locale` for the rest of this request or thread; unknown locales fall back to the default."""
    _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def current_locale() -> str:
    """The locale in force."""
    return _current.get()


@contextmanager
def use_locale(locale: str):
    """Temporarily translate into `locale`."""
    token = _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str, **values: object) -> str:
    """Translate `message` into the current locale and fill `{name}` placeholders from `values`."""
    text = _translations(_current.get()).gettext(message)
    return text.format(**values) if values else text


_ = gettext


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a string for the catalog without translating it yet (translate with `_()` when shown)."""
    return message


@functools.cache
def _locale(name: str) -> Locale:
    # Locale.parse costs about a millisecond; pages format dozens of numbers per render.
    return Locale.parse(name)


@functools.cache
def _number_pattern(pattern: str):
    return parse_pattern(pattern)


def fmt_number(value: float | int | None, digits: int = 0) -> str:
    """A number in the current locale; `—` for missing (never 0)."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return _number_pattern(pattern).apply(value, _locale(_current.get()))


def fmt_percent(value: float | None, digits: int = 1) -> str:
    """A ratio (0.9465) as a percentage in the current locale; `—` for missing."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return _number_pattern(pattern).apply(value, _locale(_current.get()))


def fmt_datetime(value: datetime | None, timezone: str = "Asia/Shanghai", fmt: str = "medium") -> str:
    """A timestamp in the city's time zone, formatted for the current locale; `—` for missing."""
    if value is None:
        return "—"
    return _format_datetime(value, format=fmt, tzinfo=ZoneInfo(timezone), locale=_locale(_current.get()))
