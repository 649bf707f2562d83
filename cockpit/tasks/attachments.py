"""Evidence files: checked by their first bytes (not their name), size-limited, stored under the data directory
(never under the web root) with a generated name, served only through `service.open_attachment`."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cockpit.core.i18n import N_
from cockpit.tasks.errors import TaskError

# Magic numbers: JPEG (FF D8 FF), PNG (89 50 4E 47 0D 0A 1A 0A), PDF (%PDF-).
_KINDS = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
)
_UNSAFE = re.compile(r"[^\w.\- ()（）]+", re.UNICODE)


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks: its type, a safe display name, its digest."""

    content_type: str
    extension: str
    filename: str
    sha256: str
    size: int


def sniff(content: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the first bytes, or None for anything but JPEG, PNG and PDF."""
    for magic, kind, ext in _KINDS:
        if content.startswith(magic):
            return kind, ext
    return None


def safe_filename(name: str, extension: str) -> str:
    """A display name without paths, control or shell characters, ending in the sniffed extension."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:80] or "file"
    return stem + extension


def check(filename: str, content: bytes, max_bytes: int) -> CheckedFile:
    """Check one upload.

    Raises:
        TaskError: empty, too large, or not a JPEG/PNG image or PDF document.
    """
    if not content:
        raise TaskError(N_("The file is empty."))
    if len(content) > max_bytes:
        raise TaskError(N_("The file is larger than {size} MB."), size=round(max_bytes / 1024 / 1024, 1))
    kind = sniff(content)
    if kind is None:
        raise TaskError(N_("Only JPEG or PNG images and PDF documents can be attached."))
    return CheckedFile(kind[0], kind[1], safe_filename(filename, kind[1]), hashlib.sha256(content).hexdigest(),
                       len(content))


def folder(data_dir: Path) -> Path:
    """Where attachments live: `<data directory>/attachments`."""
    return Path(data_dir) / "attachments"


def write(data_dir: Path, task_id: str, attachment_id: str, checked: CheckedFile, content: bytes) -> str:
    """Store the bytes under a generated name; returns the path relative to the attachments folder."""
    relative = f"{task_id}/{attachment_id}{checked.extension}"
    target = folder(data_dir) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".part")
    partial.write_bytes(content)
    partial.replace(target)
    return relative


def resolve(data_dir: Path, relative: str) -> Path:
    """The absolute path of a stored attachment; refuses anything that escapes the attachments folder."""
    base = folder(data_dir).resolve()
    path = (base / relative).resolve()
    if base not in path.parents:
        raise TaskError(N_("Invalid attachment path."))
    return path
