"""Warning counts by level in the shell header, for every business role, scoped to the user's area."""

from __future__ import annotations

from dash import Input, Output, callback, html

from alerts import queries
from alerts.reasons import LEVEL_LABELS
from cockpit.auth.guard import current_user, guarded
from cockpit.core.i18n import _
from cockpit.core.roles import BUSINESS_ROLES
from layouts import ids
from layouts.context import services

LEVELS = ("red", "orange", "yellow", "blue")


def counts_view(area_code: str):
    """One coloured count per level (firing and acknowledged warnings in the area), linking to the duty desk."""
    counts = queries.level_counts(services().db, area_code)
    return [html.Span(str(counts.get(lv, 0)), className=f"count-box level-{lv} warning-count",
                      title=_("{level} warnings", level=_(LEVEL_LABELS[lv])), **{"data-level": lv})
            for lv in LEVELS]


def header_counts(user) -> html.Span | None:
    """The header element (None for roles without business data: admin, auditor)."""
    if user.role not in BUSINESS_ROLES:
        return None
    return html.Span(counts_view(user.area_code), id=ids.WARNING_COUNTS, className="warning-counts me-2")


@callback(Output(ids.WARNING_COUNTS, "children"), Input(ids.DATA_POLL, "n_intervals"), prevent_initial_call=True)
@guarded(BUSINESS_ROLES)
def refresh_counts(_n):
    """Re-count with every data poll."""
    return counts_view(current_user().area_code)
