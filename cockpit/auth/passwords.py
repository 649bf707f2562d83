"""Password hashing (argon2id) and generation."""

from __future__ import annotations

import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cockpit.core.i18n import N_

_hasher = PasswordHasher()
# A fixed hash to verify against for unknown users, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    return _hasher.hash(password)


def verify_password(hashed: str | None, password: str) -> bool:
    """Whether `password` matches `hashed`; takes the same time for an unknown user (hashed None)."""
    try:
        return _hasher.verify(hashed or _DUMMY_HASH, password) and hashed is not None
    except (VerificationError, InvalidHashError):
        return False


def generate_password(length: int = 14) -> str:
    """A random password with upper, lower, digit and symbol characters, easy to read aloud (no 0/O, 1/l)."""
    alphabet = {
        "upper": "ABCDEFGHJKLMNPQRSTUVWXYZ",
        "lower": "abcdefghijkmnpqrstuvwxyz",
        "digit": "23456789",
        "symbol": "#%+=@",
    }
    chars = [secrets.choice(group) for group in alphabet.values()]
    pool = "".join(alphabet.values())
    chars += [secrets.choice(pool) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def check_strength(password: str, min_length: int = 8, min_classes: int = 3, user_id: str | None = None) -> str | None:
    """None when acceptable, else the reason (msgid): long enough, enough character classes, not the user name."""
    if len(password) < min_length:
        return N_("The password is too short.")
    if len(password) > 128:
        return N_("The password is too long.")
    classes = sum(
        any(c in group for c in password)
        for group in (string.ascii_uppercase, string.ascii_lowercase, string.digits)
    ) + any(not c.isalnum() for c in password)
    if classes < min_classes:
        return N_("The password must mix three of: upper case, lower case, digits, symbols.")
    if user_id and user_id.casefold() in password.casefold():
        return N_("The password must not contain the user name.")
    return None
