"""Process each Slack delivery once: an in-memory set of recently seen keys that forgets them after a while."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class SeenEvents:
    """A thread-safe set of keys (``event_id``, channel + message ``ts``) that expire after ``ttl`` seconds.

    Slack redelivers an event it thinks was not acknowledged (``x-slack-retry-num`` 1, 2, 3 within about five
    minutes); the first delivery claims the key and every later one is dropped.

    Args:
        ttl: seconds a key is remembered; longer than Slack's retry window.
        max_keys: the oldest keys are forgotten first past this many, bounding memory.
        clock: seconds as a float, monotonic (injectable for tests).
    """

    def __init__(self, ttl: float = 3600.0, max_keys: int = 50_000, clock: Callable[[], float] = time.monotonic):
        if ttl <= 0 or max_keys < 1:
            raise ValueError("ttl must be > 0 and max_keys >= 1")
        self.ttl = ttl
        self.max_keys = max_keys
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        """Claim ``key``: True the first time it is seen within ``ttl``, False on every repeat."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            if key in self._seen:
                return False
            self._seen[key] = now
            while len(self._seen) > self.max_keys:
                self._seen.popitem(last=False)
            return True

    def __len__(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return len(self._seen)

    def _expire(self, now: float) -> None:
        while self._seen:
            key, seen_at = next(iter(self._seen.items()))
            if now - seen_at < self.ttl:
                break
            del self._seen[key]
