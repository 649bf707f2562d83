"""Secrets at rest (MLPS T20): columns that must not be readable from a copied database file are sealed with
AES-256-GCM under a data key kept outside the database.

The key comes from the environment (`COCKPIT_DATA_KEY`, 32 bytes in urlsafe base64) or from a key file that is
generated on first start with mode 0600 (`security.data_key_file`; put it on another volume than the database in
production, so that a database backup alone reveals nothing).
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cockpit.core.db import Database

KEY_ENV = "COCKPIT_DATA_KEY"
PREFIX = "enc1:"


class FieldCipherError(RuntimeError):
    """A sealed value could not be opened (wrong key or altered value), or no key is attached."""


class FieldCipher:
    """Seals and opens short text values; the column name is bound into each value as associated data, so a
    sealed value copied into another column does not open."""

    def __init__(self, key: bytes):
        if len(key) != 32:
            raise FieldCipherError(f"the data key must be 32 bytes, not {len(key)}")
        self._aead = AESGCM(key)

    def seal(self, column: str, text: str) -> str:
        """The sealed form of `text` for `column`."""
        nonce = secrets.token_bytes(12)
        sealed = self._aead.encrypt(nonce, text.encode("utf-8"), column.encode("utf-8"))
        return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open(self, column: str, value: str) -> str:
        """The text of a sealed value; a value stored before sealing was introduced is returned as it is."""
        if not value.startswith(PREFIX):
            return value
        raw = base64.urlsafe_b64decode(value[len(PREFIX):])
        try:
            return self._aead.decrypt(raw[:12], raw[12:], column.encode("utf-8")).decode("utf-8")
        except InvalidTag as exc:
            raise FieldCipherError(f"a sealed {column} value does not open with this data key") from exc


def load_key(path: Path) -> bytes:
    """The data key from the environment, else from `path` (created with a new random key when absent)."""
    if env := os.environ.get(KEY_ENV):
        return base64.urlsafe_b64decode(env)
    if path.exists():
        return base64.urlsafe_b64decode(path.read_text(encoding="ascii").strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(base64.urlsafe_b64encode(key).decode("ascii"))
    return key


_ciphers: dict[int, FieldCipher] = {}


def attach(db: Database, cipher: FieldCipher | None) -> None:
    """Use `cipher` for the sealed columns of `db` (None: detach)."""
    if cipher is None:
        _ciphers.pop(id(db), None)
    else:
        _ciphers[id(db)] = cipher


def cipher_for(db: Database) -> FieldCipher:
    """The cipher attached to `db`; refusing to store secrets in the clear when there is none."""
    cipher = _ciphers.get(id(db))
    if cipher is None:
        raise FieldCipherError("no data key is attached to this database; open it through cockpit.bootstrap")
    return cipher
