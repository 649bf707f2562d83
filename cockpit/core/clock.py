"""Time as an argument: code asks a clock, tests give it a fixed one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current UTC time."""

    def now(self) -> datetime: ...


class SystemClock:
    """The machine's clock, in UTC."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved; for tests and replays."""

    def __init__(self, at: datetime):
        self._at = at

    def now(self) -> datetime:
        """The fixed time."""
        return self._at

    def advance(self, **delta: float) -> None:
        """Move the clock forward, e.g. `advance(minutes=5)`."""
        from datetime import timedelta

        self._at += timedelta(**delta)
