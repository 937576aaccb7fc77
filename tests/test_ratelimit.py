"""Rate limits: the shipped per-worker storage (worker-memory://, no background thread), Redis shared
between workers, Retry-After on a refusal, and learners let through when the counters are unreachable."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import redis
from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from app.ratelimit.storage import WorkerMemoryStorage
from tests.conftest import make_app
from tests.helpers import bearer, start_api_attempt


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


def _answer(client, body, n):  # noqa: ANN001, ANN202
    return client.post(f"/api/v1/attempts/{body['attempt_id']}/questions/{n}/answer",
                       headers=bearer(body["token"]), json={"choices": ["A"]})


def test_a_refusal_says_when_to_come_back(app_factory) -> None:  # noqa: ANN001
    client = app_factory(RATELIMIT_ANSWER="2 per minute").test_client()
    body = start_api_attempt(client, "staff-training")
    assert [_answer(client, body, n).status_code for n in (1, 2)] == [200, 200]
    refused = _answer(client, body, 3)
    assert refused.status_code == 429 and refused.json["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


def test_limits_can_be_switched_off(app_factory) -> None:  # noqa: ANN001
    client = app_factory(RATELIMIT_ANSWER="1 per minute", RATELIMIT_ENABLED=False).test_client()
    body = start_api_attempt(client, "staff-training")
    assert [_answer(client, body, n).status_code for n in (1, 2, 3)] == [200, 200, 200]


def test_workers_sharing_redis_share_the_count(app_factory) -> None:  # noqa: ANN001
    uri = "redis://127.0.0.1:6379/14"
    redis.Redis.from_url(uri).flushdb()
    try:
        one, two = (app_factory(RATELIMIT_STORAGE_URI=uri, RATELIMIT_ANSWER="2 per minute") for _ in range(2))
        body = start_api_attempt(one.test_client(), "staff-training")
        statuses = [_answer(app.test_client(), body, n).status_code for app, n in ((one, 1), (two, 2), (one, 3))]
        assert statuses == [200, 200, 429]
    finally:
        redis.Redis.from_url(uri).flushdb()


def test_an_unreachable_counter_store_lets_learners_through(app_factory, caplog) -> None:  # noqa: ANN001
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # a port nobody listens on
    port = closed.getsockname()[1]
    try:
        app = app_factory(RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{port}/0", RATELIMIT_ANSWER="1 per minute")
        client = app.test_client()
        body = start_api_attempt(client, "staff-training")
        assert [_answer(client, body, n).status_code for n in (1, 2)] == [200, 200]
    finally:
        closed.close()
    assert "rate-limit storage failed" in caplog.text


def test_a_mistyped_limit_stops_the_start_with_its_name(database_url: str) -> None:
    from app import BadSetting

    with pytest.raises(BadSetting, match="RATELIMIT_ANSWER = '120 a minute'"):
        make_app(database_url, RATELIMIT_ANSWER="120 a minute")
