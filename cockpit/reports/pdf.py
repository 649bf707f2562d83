"""A briefing as an A4 PDF: the HTML document laid out by WeasyPrint with the system's CJK fonts embedded
(fonts-noto-cjk from Debian; nothing is fetched at render time)."""

from __future__ import annotations

from pathlib import Path


def write_pdf(html: str, target: Path) -> Path:
    """Lay out `html` (from html_doc.render) on A4 pages with page numbers and write it to `target`."""
    from weasyprint import HTML  # imported here: loading pango takes a moment and only renderers need it

    def refuse(url: str, *args, **kwargs):
        raise ValueError(f"briefings load no outside resource ({url[:40]})")

    HTML(string=html, url_fetcher=refuse).write_pdf(target)
    return target
