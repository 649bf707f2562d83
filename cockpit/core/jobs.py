"""Scheduled work that a room asks the composition root to run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Job:
    """One recurring job. `trigger` and `trigger_args` are APScheduler's (`"interval", {"minutes": 5}`)."""

    id: str
    func: Callable[[], Any]
    trigger: str
    trigger_args: dict = field(default_factory=dict)
    jitter_seconds: int | None = None
