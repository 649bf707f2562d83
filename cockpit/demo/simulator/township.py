"""Streets and townships typing the day's 一张表 (manual form) into the cockpit.

The form lives in the cockpit process (connectors/kinds/manual_form.py `submit`); the simulator is given a
`form_submit(street_code, at, values)` callable by `cockpit demo` and calls it at each street's
submission time with the day's figures (hazards found and fixed, grid patrols, petitions, disputes).
Most streets report between 09:00 and 17:30, a few late, about one in fifty not at all. Without a
callable (`cockpit simulate` on its own) nothing is submitted.
"""

from __future__ import annotations

import logging

import numpy as np

from cockpit.demo.simulator.base import System
from cockpit.demo.simulator.city import DAY, HOUR, from_epoch

log = logging.getLogger(__name__)


class TownshipForm(System):
    """Daily submissions of every street."""

    name = "township_form"

    def generate(self, start: int, end: int, history: bool) -> int:
        """Submit the figures of streets whose submission time falls in [start, end) (of the history: today's)."""
        submit = self.ctx.form_submit
        if submit is None:
            return 0
        city = self.ctx.city
        shift = int(city.utc_offset_hours * HOUR)
        if history and end < self.ctx.horizon:
            return 0
        if history:     # the form knows only the current period: of the history, play today's morning
            start = max(start, (end - 1 + shift) // DAY * DAY - shift)
        n = 0
        for day in range((start + shift) // DAY * DAY, end + shift, DAY):
            rng = city.rng(self.name, day)
            at = day - shift + rng.uniform(9 * HOUR, 17.5 * HOUR, len(city.streets)).astype(np.int64)
            late = rng.random(len(city.streets))
            at = np.where(late < 0.03, day - shift + int(18.5 * HOUR), at)
            for street, t, p in zip(city.streets, at, late, strict=True):
                if p > 0.98 or not (start <= t < end):
                    continue
                try:
                    submit(street, from_epoch(int(t)), figures(rng, street))
                    n += 1
                except Exception as exc:  # a refused submission (deadline passed) is part of the play
                    log.debug("form submission of %s refused: %s", street, exc)
        return n


def figures(rng: np.random.Generator, street: str) -> dict:
    """A street's figures for the day, as typed into the form."""
    urban = street[6] == "0"
    found = int(rng.poisson(4 if urban else 7))
    return {"hazards_found": found, "hazards_fixed": int(rng.binomial(found, 0.85)),
            "grid_patrols": int(rng.poisson(260 if urban else 140)), "petitions": int(rng.poisson(2)),
            "disputes_resolved": int(rng.poisson(1.5)), "note": "无"}
