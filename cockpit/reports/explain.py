"""How a ranking score was computed, in words (opened from the 晾晒台 and printed in the workbook)."""

from __future__ import annotations

from cockpit.core.i18n import _, fmt_number, fmt_percent


def show_value(value: float | None, unit: str) -> str:
    """A ranking value as shown: a percentage, hours, or a count per 100,000 residents."""
    if value is None:
        return "—"
    if unit == "%":
        return fmt_percent(value, 1)
    if unit == "h":
        return _("{hours} h", hours=fmt_number(value, 1))
    return _("{n} per 100,000", n=fmt_number(value, 2))


def how(row: dict, metric: str, unit: str) -> str:
    """The computation behind one ranking row, then why it is or is not ranked."""
    num, den, value = row["numerator"], row["denominator"], show_value(row["value"], unit)
    if row["status"] == "no_data" and not (metric == "overdue_per_100k" and den is None):
        return _("Nothing to compute from in this period: not ranked.")
    if metric == "task_on_time_rate":
        text = _("{num} of {den} tasks closed in the period were closed by their deadline: {value}.",
                 num=fmt_number(num), den=fmt_number(den), value=value)
    elif metric == "warning_response_hours":
        text = _("{den} tasks dispatched from warnings were accepted, {hours} hours in all from dispatch to "
                 "acceptance; {hours} ÷ {den} = {value}.", den=fmt_number(den), hours=fmt_number(num, 1),
                 value=value)
    elif metric == "indicator_attainment":
        text = _("{num} of {den} indicators with a target met it in the period: {value}.",
                 num=fmt_number(num), den=fmt_number(den), value=value)
        missed = row["detail"].get("missed") or []
        if missed:
            text += " " + _("Missed: {ids}.", ids=", ".join(missed))
    elif metric == "form_reporting_rate":
        text = _("{num} of {den} expected form reports were submitted: {value}.",
                 num=fmt_number(num), den=fmt_number(den), value=value)
    else:
        if den is None:
            return _("{num} overdue tasks; no population is configured, so no per-capita figure.",
                     num=fmt_number(num))
        text = _("{num} overdue tasks ÷ {pop} residents × 100,000 = {value}.",
                 num=fmt_number(num), pop=fmt_number(den), value=value)
    if row["status"] == "insufficient":
        text += " " + _("Sample {n} is below the minimum of {min}: not ranked (insufficient sample).",
                        n=fmt_number(row["sample"]), min=fmt_number(row["min_sample"]))
    elif row["group"]:
        text += " " + _("Ranked {rank} of {of} in the peer group {group}.", rank=row["rank"], of=row["of"],
                        group=row["group"])
    else:
        text += " " + _("Ranked {rank} of {of}.", rank=row["rank"], of=row["of"])
    return text
