"""Every user-facing string goes through the catalog, and both languages translate all of it."""

from __future__ import annotations

import ast
import re

from cockpit.core.catalog_tools import missing_translations
from cockpit.core.i18n import _, fmt_number, fmt_percent, use_locale
from tests.conftest import ROOT

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_msgid_is_translated_in_every_locale():
    assert missing_translations(ROOT) == {"zh_CN": [], "en": []}


def test_no_chinese_literal_bypasses_the_catalog_in_page_code():
    """Chinese text in layouts must come from the catalog or the configuration, never from a literal."""
    offenders = []
    for path in (ROOT / "layouts").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
        for node in ast.walk(tree):
            if id(node) in docstrings:
                continue
            # the language switch names the language in that language
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_text and CJK.search(node.value) and node.value not in ("中文",):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert offenders == []


def test_translation_and_locale_formats():
    with use_locale("zh_CN"):
        assert _("Sign in") == "登录"
        assert fmt_percent(0.9465, 2) == "94.65%"
        assert fmt_number(None) == "—"
    with use_locale("en"):
        assert _("Sign in") == "Sign in"
        assert fmt_number(1234567) == "1,234,567"
