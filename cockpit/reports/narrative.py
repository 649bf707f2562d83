"""The briefing's short narrative, filled from its numbers by catalog templates (formal Chinese by default).

Each sentence states only figures present in the numbers; where a figure is missing the sentence says so.
"""

from __future__ import annotations

from datetime import date

from alerts.reasons import LEVEL_LABELS
from cockpit.core.i18n import N_, _, fmt_number, fmt_percent

KIND_NAMES = {"daily": N_("Daily notice"), "weekly": N_("Weekly bulletin"), "monthly": N_("Monthly report")}


def tr(msgid: str) -> str:
    """Translate a msgid held in a variable (a table value marked with N_)."""
    return _(msgid)


SOURCE_STATES = {"late": N_("late"), "broken": N_("broken"), "no_runs": N_("no runs recorded")}


def period_label(numbers: dict) -> str:
    """The period in words: a day, a span of days, or a month."""
    p = numbers["period"]
    first, last = date.fromisoformat(p["first_day"]), date.fromisoformat(p["last_day"])
    if numbers["kind"] == "daily":
        return _("{year}-{month}-{day}", year=first.year, month=first.month, day=first.day)
    if numbers["kind"] == "monthly":
        return _("{year}-{month}", year=first.year, month=first.month)
    return _("{year}-{month}-{day} to {year2}-{month2}-{day2}", year=first.year, month=first.month,
             day=first.day, year2=last.year, month2=last.month, day2=last.day)


def change_words(pct: float | None) -> str:
    """同比/环比 in words: up by, down by, level, or no comparable data."""
    if pct is None:
        return _("no comparable data")
    if abs(pct) < 0.05:
        return _("level")
    return _("up {pct}", pct=fmt_percent(abs(pct) / 100, 1)) if pct > 0 else \
        _("down {pct}", pct=fmt_percent(abs(pct) / 100, 1))


def narrative(numbers: dict) -> list[str]:
    """The paragraphs of the narrative."""
    area, label = numbers["area"]["name"], period_label(numbers)
    t = numbers["tasks"]["total"]
    paras = [_("In {period}, {area} dispatched {dispatched} tasks and closed {closed}, {on_time} of them by the "
               "deadline (on-time rate {rate}); {overdue} tasks were overdue and still open at the end of the period.",
               period=label, area=area, dispatched=fmt_number(t["dispatched"]), closed=fmt_number(t["closed"]),
               on_time=fmt_number(t["on_time"]), rate=fmt_percent(t["on_time_rate"], 1),
               overdue=fmt_number(t["overdue"]))]
    figures = [_("{name} was {value} {unit}, {mom} on the previous period and {yoy} on the same period last year",
                 name=h["name"], value=fmt_number(h["value"], 2), unit=h["unit"], mom=change_words(h["mom_pct"]),
                 yoy=change_words(h["yoy_pct"]))
               + (_(", below its target of {target}", target=fmt_number(h["target"], 2)) if h["met"] is False else "")
               for h in numbers["headline"] if h["value"] is not None]
    if figures:
        paras.append(_("Main indicators: {items}.", items=_("; ").join(figures)))
    elif numbers["headline"]:
        paras.append(_("The main indicators have no values for this period."))
    paras.append(_warning_sentence(numbers["warnings"]))
    yellow = sum(c["yellow"] for c in numbers["cards"])
    red = sum(c["red"] for c in numbers["cards"])
    if yellow or red:
        worst = numbers["cards"][0]
        paras.append(_("{yellow} yellow and {red} red cards were issued for overdue work; the most went to {unit} "
                       "({unit_red} red, {unit_yellow} yellow).", yellow=fmt_number(yellow), red=fmt_number(red),
                       unit=worst["name"], unit_red=fmt_number(worst["red"]), unit_yellow=fmt_number(worst["yellow"])))
    else:
        paras.append(_("No yellow or red cards were issued in the period."))
    bad = [s for s in numbers["sources"] if s["state"] in ("late", "broken")]
    if bad:
        paras.append(_("{n} data sources were late or broken: {names}.", n=fmt_number(len(bad)),
                       names=_("; ").join(_("{name} ({state})", name=s["name"], state=tr(SOURCE_STATES[s["state"]]))
                                          for s in bad)))
    elif numbers["sources"] and all(s["state"] == "no_runs" for s in numbers["sources"]):
        paras.append(_("No data-source runs were recorded in the period."))
    else:
        paras.append(_("Every data source delivered on schedule."))
    paras.extend(_ranking_sentences(numbers))
    return paras


def _warning_sentence(w: dict) -> str:
    plans = sum(p["activations"] for p in w["plans"])
    plan_text = _("{n} emergency plans were started", n=fmt_number(plans)) if plans else \
        _("no emergency plan was started")
    if not w["raised"]:
        return _("No warnings were raised in the period ({open} still open at its end); {plans}.",
                 open=fmt_number(w["open_at_end"]), plans=plan_text)
    levels = _(", ").join(_("{level} {n}", level=tr(LEVEL_LABELS[r["level"]]), n=fmt_number(r["raised"]))
                          for r in w["levels"] if r["raised"])
    return _("{raised} warnings were raised ({levels}), {resolved} resolved, and {open} were still open at the end "
             "of the period; {plans}.", raised=fmt_number(w["raised"]), levels=levels,
             resolved=fmt_number(w["resolved"]), open=fmt_number(w["open_at_end"]), plans=plan_text)


def _ranking_sentences(numbers: dict) -> list[str]:
    out = []
    for r in numbers["rankings"]:
        if r["subject_kind"] != "district":
            continue
        ranked = sorted((x for x in r["rows"] if x["rank"] is not None), key=lambda x: (x["group"] or "", x["rank"]))
        if len(ranked) < 2:
            continue
        group = [x for x in ranked if x["group"] == ranked[0]["group"]]
        first, last = group[0], group[-1]
        own = next((x for x in r["rows"] if x.get("own")), None)
        if own is not None:
            out.append(_("On {criterion}, {area} ranked {rank} of {of}.", criterion=tr(r["title"]), area=own["name"],
                         rank=own["rank"], of=own["of"]) if own["rank"] is not None else
                       _("On {criterion}, {area} was not ranked (insufficient sample or no data).",
                         criterion=tr(r["title"]), area=own["name"]))
        elif len(group) >= 2 and first["rank"] < last["rank"]:
            out.append(_("On {criterion}, among {group}, {first} ranked first and {last} last.",
                         criterion=tr(r["title"]), group=first["group"], first=first["name"], last=last["name"])
                       if first["group"] else
                       _("On {criterion}, {first} ranked first and {last} last.", criterion=tr(r["title"]),
                         first=first["name"], last=last["name"]))
        if len(out) >= 3:
            break
    return out
