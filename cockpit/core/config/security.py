"""The MLPS 2.0 level-3 profile (等保三级): password, lockout, second factor and audit settings.

On by default. It deliberately departs from OWASP ASVS 5.0 (which discourages composition rules and forced
rotation) because MLPS assessors expect both; see docs/security.md.
"""

from __future__ import annotations

from pydantic import Field

from cockpit.core.config.base import Model
from cockpit.core.config.runtime import RoleName


class SecurityConfig(Model):
    """Identity, session and audit controls."""

    password_min_length: int = Field(default=8, ge=8, le=64, description="Minimum password length")
    password_min_classes: int = Field(default=3, ge=1, le=4, description="Character classes required of 4")
    password_max_age_days: int | None = Field(default=90, ge=1, description="Forced change after this age; null: never")
    password_history: int = Field(default=5, ge=0, le=24, description="A new password may not repeat the last N")
    lock_after_failures: int = Field(default=5, ge=1, le=20, description="Failed logins that lock an account")
    lock_minutes: int = Field(default=30, ge=1, description="How long a locked account stays locked")
    login_attempts_per_ip: int = Field(default=20, ge=1, description="Login attempts per source address per window")
    login_window_minutes: int = Field(default=10, ge=1, description="Window of the per-address login limit")
    totp_roles: list[RoleName] = Field(
        default_factory=lambda: ["leader", "admin", "auditor"], description="Roles that need a second factor (TOTP)"
    )
    totp_issuer: str = Field(default="城市运行驾驶舱", description="Issuer name shown in authenticator apps")
    audit_file: str | None = Field(
        default="audit/audit.log", description="Append-only copy of the audit log, relative to the data directory"
    )
    data_key_file: str = Field(
        default="keys/data.key",
        description="Key that seals secrets at rest (TOTP), relative to the data directory; generated when absent. "
                    "Keep it on another volume than the database, or give it as COCKPIT_DATA_KEY")
    disable_unused_after_days: int | None = Field(
        default=90, ge=1, description="Disable accounts not used for this many days; null: never")
    audit_syslog: str | None = Field(
        default=None, pattern=r"^[\w.\-]+:\d{1,5}$",
        description="host:port of the 日志审计 system's syslog (UDP) receiver; every audit record is forwarded")
    audit_retention_days: int = Field(default=183, ge=180, description="Audit records are kept at least this long")
