"""PgBouncer in transaction mode (deploy/pgbouncer/pgbouncer.ini, Debian 12's 1.18) between the app
and PostgreSQL: why the app must not prepare statements there, and the whole play path through it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select, text

from app.quiz.models import Answer
from tests.deploy import play
from tests.deploy.conftest import DeployDatabase, Server, call, gunicorn, pgbouncer, stop
from tests.helpers import make_group

pytestmark = [pytest.mark.deploy, pytest.mark.commits]
RUNS = 7  # psycopg prepares a statement on its sixth run on one connection (prepare_threshold=5)


@pytest.fixture(scope="module")
def bouncer(deploy_database: DeployDatabase, work_dir: Path) -> Iterator[Server]:
    server = pgbouncer(work_dir, deploy_database)
    yield server
    stop(server)


@pytest.fixture(scope="module")
def host(deploy_database: DeployDatabase, bouncer: Server, work_dir: Path) -> Iterator[Server]:
    server = gunicorn("host", work_dir, {
        "DATABASE_URL": deploy_database.url(bouncer.port), "POSTGRES_PGBOUNCER": "true",
        "SECRET_KEY": "deploy-test-secret-key", "APP_ENV": "production", "TTS_ENGINES": "espeak",
    })
    yield server
    stop(server)


def _run_often(conn: psycopg.Connection) -> None:
    for n in range(RUNS):
        assert conn.execute("SELECT %s::int + 1", [n]).fetchone() == (n + 1,)


def test_psycopg_prepared_statements_break_in_transaction_mode(deploy_database, bouncer) -> None:
    """Two clients take turns on one server connection: the second one's first prepared statement
    has the name the first one's already holds there. This is why POSTGRES_PGBOUNCER exists."""
    url = deploy_database.url(bouncer.port).replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as first, psycopg.connect(url, autocommit=True) as second:
        _run_often(first)
        with pytest.raises(psycopg.errors.DuplicatePreparedStatement):
            _run_often(second)
    with psycopg.connect(url, autocommit=True, prepare_threshold=None) as first, \
            psycopg.connect(url, autocommit=True, prepare_threshold=None) as second:
        _run_often(first)
        _run_often(second)


def test_the_app_with_postgres_pgbouncer_prepares_nothing_and_sets_nothing(deploy_database, bouncer) -> None:
    from app.extensions import db
    from tests.conftest import make_app

    app = make_app(deploy_database.url(bouncer.port), POSTGRES_PGBOUNCER=True)
    with app.app_context():
        with db.engine.connect() as first, db.engine.connect() as second:
            for conn in (first, second, first, second):
                for _ in range(RUNS):
                    assert conn.scalar(select(func.count()).select_from(Answer)) >= 0
                conn.commit()
            # No session SET went through: the server's own plan_cache_mode on whatever connection this is.
            assert first.scalar(text("SHOW plan_cache_mode")) == "auto"


def test_the_play_path_runs_through_pgbouncer(deploy_database, host) -> None:
    from tests.conftest import make_app

    app = make_app(deploy_database.url())
    group = make_group(app, name="初三（2）班", size=2)
    players = []
    for nickname in ("小林", "小周"):
        started = play.start(host.port, group["quiz_id"], nickname, group["join_code"])
        play.answer_all(started, lambda n: host.port, also=lambda n: host.port)
        result = play.finish(host.port, started)
        assert play.finish(host.port, started) == result
        status = call(host.port, "GET", f"/api/v1/attempts/{started['attempt_id']}", headers=play.bearer(started))
        assert status.json["status"] == "finished" and status.json["answered"] == started["question_count"]
        players.append((nickname, started, result))
    entries = play.board(host.port, group["join_code"])
    assert sorted(e["nickname"] for e in entries) == ["小周", "小林"]
    assert {e["nickname"]: e["score"] for e in entries} == {name: result["score"] for name, _, result in players}
    page = call(host.port, "GET", f"/g/{group['join_code']}")
    assert page.status == 200 and "小林" in page.text
    health = call(host.port, "GET", "/healthz").json
    assert health["status"] == "ok" and health["database"]["backend"] == "postgresql"
