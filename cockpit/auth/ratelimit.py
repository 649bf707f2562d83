"""A per-address limit on login attempts (in memory: one serving process owns the database anyway)."""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timedelta


class AttemptLimiter:
    """At most `limit` attempts per key within a sliding `window`."""

    def __init__(self, limit: int, window: timedelta):
        self.limit = limit
        self.window = window
        self._attempts: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, now: datetime) -> bool:
        """Record an attempt for `key` and say whether it is within the limit."""
        with self._lock:
            queue = self._attempts.setdefault(key, deque())
            while queue and queue[0] <= now - self.window:
                queue.popleft()
            if len(queue) >= self.limit:
                return False
            queue.append(now)
            if len(self._attempts) > 10_000:  # forget idle addresses so memory stays bounded
                for k in [k for k, q in self._attempts.items() if not q][:5_000]:
                    del self._attempts[k]
            return True
