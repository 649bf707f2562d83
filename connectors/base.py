"""The connector contract: a base class, the batches it yields, and the registry of kinds.

A connector kind is a class with a `kind` name and a pydantic `settings` model; it overrides `fetch`.
The runner (not the connector) owns the cursor, validation, quarantine, writing and run records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

import polars as pl
from pydantic import BaseModel, ConfigDict


class Settings(BaseModel):
    """Base of every kind's settings: unknown keys are errors, secrets are `SecretStr`."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass
class Reject:
    """Input that could not even be turned into a row (a malformed line, a non-JSON message)."""

    raw: str
    reason: str


@dataclass
class Batch:
    """Rows fetched in one go, and the connector's position after them.

    Attributes:
        rows: a frame whose columns are the dataset's column names (extra columns are ignored).
        cursor: the position to resume from once this batch is stored (None: keep the old one).
        rejects: input quarantined as is.
        on_commit: called after the batch and its cursor are committed (acknowledge, archive a file).
    """

    rows: pl.DataFrame
    cursor: str | None = None
    rejects: list[Reject] = field(default_factory=list)
    on_commit: Callable[[], None] | None = None


@dataclass(frozen=True)
class FetchContext:
    """What a connector may know about the run it serves."""

    source_id: str
    cursor: str | None          # the stored cursor, unchanged
    since: datetime | None      # for time cursors: the stored cursor minus the source's lag
    started_at: datetime        # the run's start (UTC)
    deadline: datetime          # fetches must give up after this (UTC)
    timeout_seconds: float      # the budget of one network call
    columns: tuple[str, ...]    # the dataset's columns
    timezone: str               # zone of naive timestamps
    db: Any = None              # the cockpit database, for kinds whose rows come from the app (manual_form)
    area_column: str | None = None  # the dataset's area column
    time_column: str | None = None  # the dataset's event-time column


class Connector:
    """Base of every connector kind. Subclasses set `kind`, `settings` and override `fetch`."""

    kind: ClassVar[str]
    settings: ClassVar[type[Settings]]
    time_cursor: ClassVar[bool] = False     # cursors are ISO timestamps (capped at the run start, lag applied)

    def fetch(self, settings: Any, ctx: FetchContext) -> Iterator[Batch]:
        """Yield batches of rows after `ctx.cursor`. Raises ConfigError or TransientError."""
        raise NotImplementedError

    def time_cursor_for(self, settings: Any) -> bool:
        """Whether this source's cursor is a timestamp (the runner caps it and applies the lag)."""
        return self.time_cursor


_REGISTRY: dict[str, type[Connector]] = {}


def register(cls: type[Connector]) -> type[Connector]:
    """Class decorator: make a connector kind available to configuration by its `kind` name."""
    if cls.kind in _REGISTRY and _REGISTRY[cls.kind] is not cls:
        raise ValueError(f"connector kind {cls.kind!r} registered twice")
    _REGISTRY[cls.kind] = cls
    return cls


def kinds() -> dict[str, type[Connector]]:
    """Every registered kind by name (importing `connectors.kinds` registers the built-in ones)."""
    import connectors.kinds  # noqa: F401  (registers built-in kinds)

    return dict(_REGISTRY)


def connector(kind: str) -> Connector:
    """A connector of `kind`; KeyError when unknown."""
    return kinds()[kind]()
