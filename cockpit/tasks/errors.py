"""Why a task operation was refused. Messages are catalog msgids, formatted with `values` when shown."""

from __future__ import annotations


class TaskError(ValueError):
    """The request cannot be carried out (wrong state, missing reason, bad file…); nothing was changed."""

    def __init__(self, message: str, **values: object):
        super().__init__(message)
        self.msgid = message
        self.values = values


class Forbidden(PermissionError):
    """The user may not do this to this task. A PermissionError, like `cockpit.auth.guard.Forbidden`.

    (`cockpit.tasks` and `cockpit.auth` are independent layers, so this room cannot raise the guard's class.)
    """

    def __init__(self, message: str, **values: object):
        super().__init__(message)
        self.msgid = message
        self.values = values


class NotFound(LookupError):
    """No such task or attachment (also raised for ones the user may not see, so ids cannot be probed)."""

    def __init__(self, message: str, **values: object):
        super().__init__(message)
        self.msgid = message
        self.values = values
