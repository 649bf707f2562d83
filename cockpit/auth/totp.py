"""The second factor: time-based one-time passwords (RFC 6238, HMAC-SHA1), each code usable once."""

from __future__ import annotations

import io
from datetime import datetime

import pyotp
import qrcode
import qrcode.image.svg

from cockpit.core import fieldcrypt, store
from cockpit.core.db import Database


def new_secret() -> str:
    """A fresh base32 secret."""
    return pyotp.random_base32()


def seal(db: Database, column: str, secret: str) -> str:
    """`secret` sealed with the data key for storing in `column` (secrets are never stored in the clear)."""
    return fieldcrypt.cipher_for(db).seal(column, secret)


def unseal(db: Database, column: str, value: str | None) -> str | None:
    """The secret of a sealed `column` value."""
    return fieldcrypt.cipher_for(db).open(column, value) if value else None


def provisioning_uri(secret: str, user_id: str, issuer: str) -> str:
    """The otpauth:// URI an authenticator app scans."""
    return pyotp.TOTP(secret).provisioning_uri(name=user_id, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The URI as an inline SVG QR code (no image files, nothing fetched)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    image.save(buf)
    return buf.getvalue().decode()


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code equals `code` (allowing one step of clock drift), or None."""
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    step = int(now.timestamp()) // totp.interval
    for candidate in (step, step - 1, step + 1):
        if totp.generate_otp(candidate) == code:
            return candidate
    return None


def verify_code(db: Database, user_id: str, code: str, now: datetime) -> bool:
    """Check an enrolled user's code; a code (time step) already used is refused, then the step is recorded."""
    secret, last_step = store.totp_state(db, user_id)
    if secret is None:
        return False
    step = matching_step(secret, code, now)
    if step is None or (last_step is not None and step <= last_step):
        return False
    with db.transaction() as cur:
        store.set_totp_step(cur, user_id, step)
    return True
