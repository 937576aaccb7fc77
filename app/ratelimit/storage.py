"""Rate-limit counters kept in the worker's own memory, without a background thread.

The `limits` library's `memory://` storage starts a timer thread 10 ms after every hit that finds it
idle, and that thread walks every key on each run: with thousands of learners (one key per attempt
and per address) a worker spends its time scanning counters instead of serving answers. This storage
keeps the same fixed-window counters but forgets expired keys lazily: a read finds its own key
expired, and at most once every SWEEP_SECONDS (RATELIMIT_STORAGE_OPTIONS {"sweep_seconds": …}) a hit
drops every expired key in one pass.

`RATELIMIT_STORAGE_URI=worker-memory://` selects it (the default); like `memory://`, each worker
counts for itself, so several workers that must share limits use Redis.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from limits.storage import Storage

SWEEP_SECONDS = 10.0


class WorkerMemoryStorage(Storage):
    """Fixed-window counters in a dict: key -> [count, expires_at] (time.time() seconds)."""

    STORAGE_SCHEME = ["worker-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        self._counters: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self.sweep_seconds = float(options.pop("sweep_seconds", SWEEP_SECONDS))
        self._next_sweep = time.time() + self.sweep_seconds
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return ValueError

    def _sweep(self, now: float) -> None:
        """Drop every expired counter (caller holds the lock)."""
        self._next_sweep = now + self.sweep_seconds
        expired = [key for key, (_, expires_at) in self._counters.items() if expires_at <= now]
        for key in expired:
            del self._counters[key]

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        with self._lock:
            if now >= self._next_sweep:
                self._sweep(now)
            counter = self._counters.get(key)
            if counter is None or counter[1] <= now:
                counter = self._counters[key] = [0, now + expiry]
            counter[0] += amount
            return int(counter[0])

    def get(self, key: str) -> int:
        counter = self._counters.get(key)
        return int(counter[0]) if counter is not None and counter[1] > time.time() else 0

    def get_expiry(self, key: str) -> float:
        counter = self._counters.get(key)
        return counter[1] if counter is not None else time.time()

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        with self._lock:
            count = len(self._counters)
            self._counters.clear()
        return count

    def clear(self, key: str) -> None:
        with self._lock:
            self._counters.pop(key, None)

    def keys(self) -> list[str]:
        """The keys with a live or not yet swept counter (for tests and debugging)."""
        return list(self._counters)
