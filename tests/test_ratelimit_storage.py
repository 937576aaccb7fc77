"""The shipped rate-limit storage (worker-memory://): fixed-window counters, no background thread."""

from __future__ import annotations

import threading
import time

from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from app.ratelimit_storage import WorkerMemoryStorage


def test_the_scheme_names_the_storage_and_counts_a_window() -> None:
    storage = storage_from_string("worker-memory://")
    assert isinstance(storage, WorkerMemoryStorage)
    limiter = FixedWindowRateLimiter(storage)
    three = RateLimitItemPerSecond(3, 1)
    assert [limiter.hit(three, "attempt:a") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit(three, "attempt:b")  # another key has its own window
    stats = limiter.get_window_stats(three, "attempt:a")
    assert stats.remaining == 0 and time.time() < stats.reset_time <= time.time() + 1


def test_a_window_opens_again_once_it_expires() -> None:
    storage = WorkerMemoryStorage()
    assert storage.incr("k", expiry=0.2) == 1
    assert storage.incr("k", expiry=0.2) == 2
    time.sleep(0.25)
    assert storage.get("k") == 0
    assert storage.incr("k", expiry=0.2) == 1


def test_expired_keys_are_swept_without_a_thread() -> None:
    threads = threading.active_count()
    storage = WorkerMemoryStorage(sweep_seconds=0.1)
    for i in range(500):
        storage.incr(f"ip:10.0.0.{i}", expiry=0.05)
    assert threading.active_count() == threads  # limits' memory:// starts a timer thread here
    assert len(storage.keys()) == 500
    time.sleep(0.15)
    storage.incr("attempt:new", expiry=60)  # a hit after the sweep interval drops the expired keys
    assert storage.keys() == ["attempt:new"]


def test_clear_and_reset() -> None:
    storage = WorkerMemoryStorage()
    storage.incr("a", 60)
    storage.incr("b", 60)
    storage.clear("a")
    assert storage.get("a") == 0 and storage.get("b") == 1
    assert storage.reset() == 1 and storage.keys() == []
    assert storage.check()
