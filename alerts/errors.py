"""Errors of the alerts room; messages are catalog msgids with named values."""

from __future__ import annotations


class AlertError(ValueError):
    """A request the alerts room refuses; `str()` is the msgid, `values` fill it."""

    def __init__(self, msgid: str, **values: object):
        super().__init__(msgid)
        self.msgid = msgid
        self.values = values


class Forbidden(AlertError):
    """The user may not do this (role or area scope)."""


class NotFound(AlertError):
    """No such warning, silence, plan activation or handover (or not in the user's scope)."""
