"""Extracting msgids from the source and checking the catalogs cover them (used by tests and `make i18n`)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from cockpit.core.i18n import LOCALES, catalog_path

SOURCE_DIRS = ("cockpit", "layouts", "alerts", "indicators", "connectors")
KEYWORDS = {"_": None, "N_": None, "gettext": None}


def extracted_msgids(root: Path) -> dict[str, str]:
    """Every msgid used in the source, mapped to one place it is used (file:line)."""
    found: dict[str, str] = {}
    for folder in SOURCE_DIRS:
        base = root / folder
        if not base.exists():
            continue
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(base), method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            if isinstance(message, str) and message:
                found.setdefault(message, f"{folder}/{filename}:{lineno}")
    return found


def catalog_messages(locale: str) -> dict[str, str]:
    """msgid → translation of one locale's catalog (fuzzy entries count as untranslated)."""
    with catalog_path(locale).open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    return {m.id: ("" if m.fuzzy else m.string) for m in catalog if m.id}


def missing_translations(root: Path) -> dict[str, list[str]]:
    """Per locale, the msgids used in the source that its catalog does not translate."""
    used = extracted_msgids(root)
    out = {}
    for loc in LOCALES:
        known = catalog_messages(loc)
        out[loc] = sorted(m for m in used if not known.get(m))
    return out
