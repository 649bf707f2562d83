"""Maintainer tool: add new msgids from the source to every catalog and drop unused ones.

Run `.venv/bin/python scripts/update_catalogs.py`, then translate the empty entries in
cockpit/core/locale/zh_CN/LC_MESSAGES/messages.po. The English catalog is filled with the msgid itself
(msgids are English). `make test` fails while any msgid lacks a translation.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cockpit.core.catalog_tools import extracted_msgids  # noqa: E402
from cockpit.core.i18n import LOCALES, catalog_path  # noqa: E402


def update(extra: dict[str, dict[str, str]] | None = None) -> None:
    """Rewrite each catalog with exactly the msgids in use, keeping existing translations."""
    used = extracted_msgids(ROOT)
    for locale in LOCALES:
        path = catalog_path(locale)
        old = {}
        if path.exists():
            with path.open("rb") as fh:
                old = {m.id: m.string for m in read_po(fh, locale=locale) if m.id}
        catalog = Catalog(locale=locale, project="city-ops-cockpit", charset="utf-8")
        for msgid in sorted(used):
            string = old.get(msgid) or (extra or {}).get(locale, {}).get(msgid) or ""
            if locale == "en" and not string:
                string = msgid
            catalog.add(msgid, string, locations=[(used[msgid].split(":")[0], int(used[msgid].split(":")[1]))])
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, catalog, width=120, sort_output=True, omit_header=False)
        missing = [m for m in used if not (old.get(m) or (extra or {}).get(locale, {}).get(m) or locale == "en")]
        print(f"{locale}: {len(used)} messages, {len(missing)} untranslated")


if __name__ == "__main__":
    update()
