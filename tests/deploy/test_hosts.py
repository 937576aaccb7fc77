"""Two app hosts behave as one: separate gunicorn processes (own ports, working directories and
per-process caches) behind one nginx upstream, sharing PostgreSQL (through PgBouncer), Redis
(rate limits, database 11: no other test uses it) and the audio store (a shared directory)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import func, select

from app.groups.models import BoardEntry
from app.quiz.models import Answer, Attempt
from app.tts.text import LABEL_CLIPS
from tests.deploy import play
from tests.deploy.browser import Browser
from tests.deploy.conftest import (
    DeployDatabase,
    Server,
    access_lines,
    await_ready,
    call,
    gunicorn,
    nginx,
    pgbouncer,
    shared_dir,
    stop,
    warm_clip,
)
from tests.factories import PASSWORD, UserFactory
from tests.helpers import make_group

pytestmark = [pytest.mark.deploy, pytest.mark.commits]
REDIS_URI = "redis://127.0.0.1:6379/11"
BOARD_CACHE_SECONDS = 1.0
LOGINS_PER_MINUTE = 4
PHONES = 4


@pytest.fixture(scope="module")
def redis_db() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URI, socket_timeout=5)
    try:
        client.flushdb()
    except redis.ConnectionError as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URI}: {exc} (scripts/system-deps test starts it)", pytrace=False)
    yield client
    client.flushdb()
    client.close()


@pytest.fixture(scope="module")
def hosts(deploy_database: DeployDatabase, redis_db: redis.Redis, work_dir: Path) -> Iterator[dict[str, Any]]:
    audio = shared_dir(work_dir, "shared-audio")
    servers: list[Server] = []
    try:
        bouncer = pgbouncer(work_dir, deploy_database)
        servers.append(bouncer)
        common = {
            "DATABASE_URL": deploy_database.url(bouncer.port), "POSTGRES_PGBOUNCER": "true",
            "SECRET_KEY": "deploy-test-secret-key-shared-by-hosts", "APP_ENV": "production", "TRUSTED_PROXIES": "1",
            "RATELIMIT_STORAGE_URI": REDIS_URI, "RATELIMIT_LOGIN_PER_IP": f"{LOGINS_PER_MINUTE} per minute",
            "BOARD_CACHE_SECONDS": str(BOARD_CACHE_SECONDS), "AUDIO_DIR": str(audio), "TTS_ENGINES": "espeak",
            "PASSWORD_HASH_ITERATIONS": "1000",
        }
        a = gunicorn("host-a", work_dir, common, wait=False)
        servers.append(a)
        b = gunicorn("host-b", work_dir, common, wait=False)
        servers.append(b)
        await_ready(a)
        await_ready(b)
        front = nginx(work_dir, [a.port, b.port], audio)
        servers.append(front)
        yield {"a": a, "b": b, "nginx": front, "audio": audio}
    finally:
        for server in reversed(servers):
            stop(server)


@pytest.fixture(scope="module")
def shared_app(deploy_database: DeployDatabase):
    """The test's own view of the shared database (straight to PostgreSQL), for set-up and counting."""
    from app.extensions import db
    from tests.conftest import make_app

    app = make_app(deploy_database.url())
    yield app
    with app.app_context():  # the suite disposes apps after each test; this one lives for the module
        db.session.remove()
        db.engine.dispose()


def _count(app, statement) -> int:
    from app.extensions import db

    with app.app_context():
        try:
            return int(db.session.scalar(statement))
        finally:
            db.session.remove()


def test_a_class_alternating_between_hosts_records_each_answer_once_and_each_finish_once(hosts, shared_app) -> None:
    ports = [hosts["a"].port, hosts["b"].port]
    group = make_group(shared_app, name="初一（5）班", size=PHONES + 1)
    attempts = []
    for phone in range(PHONES):
        started = play.start(ports[phone % 2], group["quiz_id"], f"同学{phone}", group["join_code"])
        # Question n on one host, the same tap again on the other (refused), alternating per phone.
        play.answer_all(started, lambda n, p=phone: ports[(n + p) % 2], also=lambda n, p=phone: ports[(n + p + 1) % 2])
        result = play.finish(ports[phone % 2], started)
        assert play.finish(ports[(phone + 1) % 2], started) == result  # finishing again elsewhere changes nothing
        attempts.append(started)
    # One more phone plays only through nginx, which spreads it over both hosts.
    before = {name: len(access_lines(hosts[name])) for name in ("a", "b")}
    front = hosts["nginx"].port
    started = play.start(front, group["quiz_id"], "同学N", group["join_code"])
    play.answer_all(started, lambda n: front)
    play.finish(front, started)
    attempts.append(started)
    assert all(len(access_lines(hosts[name])) > before[name] for name in ("a", "b")), "nginx used one host only"

    ids = [a["attempt_id"] for a in attempts]
    answers = _count(shared_app, select(func.count()).select_from(Answer).where(Answer.attempt_id.in_(ids)))
    assert answers == sum(a["question_count"] for a in attempts)
    entries = _count(shared_app, select(func.count()).select_from(BoardEntry).where(BoardEntry.group_id == group["group_id"]))
    assert entries == PHONES + 1
    finished = _count(shared_app, select(func.count()).select_from(Attempt)
                      .where(Attempt.id.in_(ids), Attempt.finished_at.is_not(None)))
    assert finished == PHONES + 1
    for port in ports:
        assert len(play.board(port, group["join_code"])) == PHONES + 1


def test_rate_limits_are_shared_by_the_hosts(hosts, redis_db) -> None:
    ports = [hosts["a"].port, hosts["b"].port]
    staff = Browser(headers={"X-Forwarded-For": "198.51.100.23"})  # one school's address, as nginx forwards it
    page = staff.get(ports[0], "/staff/login")
    statuses = []
    for attempt in range(LOGINS_PER_MINUTE + 1):
        reply = staff.submit(ports[attempt % 2], "/staff/login", page, email="nobody@example.cn", password="wrong")
        statuses.append(reply.status)
    assert statuses == [401] * LOGINS_PER_MINUTE + [429], statuses
    assert redis_db.dbsize() > 0, "the counters live in Redis"
    other_school = Browser(headers={"X-Forwarded-For": "198.51.100.99"})
    page = other_school.get(ports[1], "/staff/login")
    assert other_school.submit(ports[0], "/staff/login", page, email="nobody@example.cn", password="x").status == 401
    for port in ports:
        assert call(port, "GET", "/healthz").json["redis"] == {"status": "ok"}


def test_a_board_is_the_same_on_both_hosts_within_board_cache_seconds(hosts, shared_app) -> None:
    ports = [hosts["a"].port, hosts["b"].port]
    group = make_group(shared_app, name="初一（6）班", size=3)
    for _ in range(3):  # every worker of both hosts has the empty board cached
        for port in ports:
            assert play.board(port, group["join_code"]) == []
    started = play.start(ports[0], group["quiz_id"], "小雨", group["join_code"])
    play.answer_all(started, lambda n: ports[0])
    play.finish(ports[0], started)
    finished = time.monotonic()
    seen: dict[int, float] = {}
    while len(seen) < len(ports) and time.monotonic() - finished < BOARD_CACHE_SECONDS + 2:
        for port in ports:
            if port not in seen and play.board(port, group["join_code"]):
                seen[port] = time.monotonic() - finished
        time.sleep(0.05)
    assert len(seen) == len(ports), f"a host still shows the old board after {BOARD_CACHE_SECONDS + 2} s"
    # Within the cache's lifetime, plus the time a board request takes.
    assert max(seen.values()) <= BOARD_CACHE_SECONDS + 0.5, seen
    names = [[e["nickname"] for e in play.board(port, group["join_code"])] for port in ports]
    assert names == [["小雨"], ["小雨"]]


def test_a_clip_warmed_on_one_host_is_served_by_the_other(hosts) -> None:
    a, b, front = hosts["a"].port, hosts["b"].port, hosts["nginx"].port
    phone = Browser()
    page = phone.get(b, "/play/elder-listen")
    first = phone.submit(b, "/play/elder-listen", page, nickname="李奶奶").headers["location"]
    assert "/audio/" not in phone.get(b, first).text  # nothing warmed yet: the page offers the phone's own voice
    # `tts warm` on host A (here: this process, with host A's settings) writes into the shared store ...
    url = warm_clip(hosts["audio"], LABEL_CLIPS["B"])
    # ... and host B, whose workers remembered "no clip", names it at once (the store's change marker).
    for _ in range(3):  # both of B's workers
        assert f'"{url}"' in phone.get(b, first).text
    direct = call(b, "GET", url)
    assert direct.status == 200 and direct.headers["content-type"] == "audio/mpeg"
    assert call(a, "GET", url).body == direct.body
    ranged = call(front, "GET", url, headers={"Range": "bytes=0-1023"})
    assert ranged.status == 206 and ranged.body == direct.body[:1024]


def test_a_teacher_signed_in_on_one_host_is_signed_in_on_the_other(hosts, shared_app) -> None:
    a, b = hosts["a"].port, hosts["b"].port
    group = make_group(shared_app, name="初一（7）班", size=30)
    with shared_app.app_context():
        teacher = UserFactory(role="teacher", organisation_id=group["org_id"], email="teacher.hosts@example.cn")
        from app.extensions import db
        from app.groups.models import Group

        db.session.get(Group, group["group_id"]).teacher_id = teacher.id
        db.session.commit()
        db.session.remove()
    browser = Browser(headers={"X-Forwarded-For": "198.51.100.50"})
    page = browser.get(a, "/staff/login")
    signed = browser.submit(a, "/staff/login", page, email="teacher.hosts@example.cn", password=PASSWORD)
    assert signed.status == 303, signed.text[:500]
    for port in (b, a, b):
        manage = browser.get(port, f"/manage/groups/{group['group_id']}")
        assert manage.status == 200 and "初一（7）班" in manage.text, (port, manage.status)
    # A form shown by one host is accepted by the other (the CSRF secret is in the shared session).
    signed_out = browser.submit(b, "/staff/logout", browser.get(a, "/manage/"))
    assert signed_out.status == 303
    assert browser.get(a, "/manage/").status in (302, 303)  # signed out everywhere: back to the sign-in page
