"""The roles of DESIGN.md and what each one is."""

from __future__ import annotations

from typing import Final

from cockpit.core.i18n import N_

ROLES: Final = ("leader", "center_operator", "duty_officer", "handler", "admin", "auditor")

ROLE_LABELS: Final = {
    "leader": N_("City leader"),
    "center_operator": N_("Command center operator"),
    "duty_officer": N_("Duty officer"),
    "handler": N_("Department handler"),
    "admin": N_("System administrator"),
    "auditor": N_("Security auditor"),
}

BUSINESS_ROLES: Final = frozenset({"leader", "center_operator", "duty_officer", "handler"})
