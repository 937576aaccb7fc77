"""Hot paths stay cheap: the number of SQL statements per request is pinned (Warehouse-style)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from tests.helpers import bearer, start_api_attempt


def test_question_fetch_and_answer_use_few_queries(client, query_recorder):
    body = start_api_attempt(client, "elder-listen")
    auth = bearer(body["token"])
    url = f"/api/v1/attempts/{body['attempt_id']}/questions/1"
    with query_recorder:
        assert client.get(url, headers=auth).status_code == 200
    first_fetch = query_recorder.queries
    with query_recorder:
        assert client.get(url, headers=auth).status_code == 200
    fetch = query_recorder.queries
    with query_recorder:
        assert client.post(url + "/answer", headers=auth, json={"choices": ["A"]}).status_code == 200
    answer = query_recorder.queries
    # attempt + slot + answer by token in one query; the bank version once per worker (immutable)
    assert len(first_fetch) <= 2, first_fetch
    assert len(fetch) == 1, fetch
    # the lookup, the attempt UPDATE (it must be open), the answer INSERT
    assert len(answer) <= 3, answer


def test_start_draw_is_a_fixed_number_of_queries_whatever_the_bank_size(client, query_recorder):
    with query_recorder:
        start_api_attempt(client, "staff-training")
    # quiz, pool, seen items, participant insert, attempt insert, the question rows (one executemany)
    assert len(query_recorder) <= 8, query_recorder.queries

@pytest.mark.commits  # autocommit is the real connection's mode, which a rolled-back test's connection cannot take
def test_api_fetch_and_answer_spend_no_round_trips_on_transactions(app, client):
    """On PostgreSQL the fetch and the answer run their statements in autocommit: no BEGIN before
    and no COMMIT after (two of an answer's four round trips). The answer's two writes are then one
    statement, atomic by itself. SQLite has no round trips; its UPDATE and INSERT share one
    transaction, committed once."""
    body = start_api_attempt(client, "elder-listen")
    auth = bearer(body["token"])
    url = f"/api/v1/attempts/{body['attempt_id']}/questions/1"
    assert client.get(url, headers=auth).status_code == 200  # loads the bank version once
    with app.app_context():
        from app.extensions import db

        engine = db.engine
    seen: list[tuple[str, bool]] = []
    commits: list[bool] = []

    def record(conn, cursor, statement, *args):  # noqa: ANN001
        if not statement.lstrip().upper().startswith("PRAGMA"):
            seen.append((statement.split()[0].upper(), bool(getattr(conn.connection.dbapi_connection, "autocommit", False))))

    def on_commit(conn):  # noqa: ANN001
        commits.append(bool(getattr(conn.connection.dbapi_connection, "autocommit", False)))

    event.listen(engine, "before_cursor_execute", record)
    event.listen(engine, "commit", on_commit)
    try:
        assert client.get(url, headers=auth).status_code == 200
        assert client.post(url + "/answer", headers=auth, json={"choices": ["A"]}).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
        event.remove(engine, "commit", on_commit)
    if engine.dialect.name == "postgresql":
        assert [kind for kind, _ in seen] == ["SELECT", "SELECT", "WITH"], seen  # fetch; answer: lookup, CTE
        assert all(autocommit for _, autocommit in seen), seen
        assert all(commits), commits  # a commit in autocommit mode sends nothing
    else:
        assert [kind for kind, _ in seen] == ["SELECT", "SELECT", "UPDATE", "INSERT"], seen
        assert commits == [False]


def _later_step(app, client):  # noqa: ANN001, ANN202
    """An API attempt and the position of a scenario's second (or later) step in it."""
    from app.quiz import services

    for i in range(30):
        body = start_api_attempt(client, "staff-training", nickname=f"职工{i}")
        with app.app_context():
            attempt = services.get_attempt(body["attempt_id"])
            later = [s.position for s in services.slots(attempt) if (services.question_of(s).step or 1) > 1]
        if later:
            return body, later[0]
    raise AssertionError("no scenario step drawn in 30 attempts of staff-training")


def test_a_later_step_is_checked_within_the_one_lookup(app, client, query_recorder):
    body, n = _later_step(app, client)
    auth = bearer(body["token"])
    base = f"/api/v1/attempts/{body['attempt_id']}/questions"
    for earlier in range(1, n - 1):  # everything before the step's predecessor
        assert client.post(f"{base}/{earlier}/answer", headers=auth, json={"choices": ["A"]}).status_code == 200
    assert client.get(f"{base}/{n - 1}", headers=auth).status_code == 200  # bank versions loaded
    with query_recorder:
        fetch = client.get(f"{base}/{n}", headers=auth)
        early = client.post(f"{base}/{n}/answer", headers=auth, json={"choices": ["A"]})
    assert fetch.status_code == 409 and fetch.json["error"]["code"] == "step_locked"
    assert early.status_code == 409 and early.json["error"]["code"] == "step_locked"
    assert len(query_recorder) == 2, query_recorder.queries  # one lookup each, nothing written
    assert client.post(f"{base}/{n - 1}/answer", headers=auth, json={"choices": ["A"]}).status_code == 200
    with query_recorder:
        assert client.get(f"{base}/{n}", headers=auth).status_code == 200
        assert client.post(f"{base}/{n}/answer", headers=auth, json={"choices": ["A"]}).status_code == 200
    assert len(query_recorder) <= 4, query_recorder.queries  # fetch 1; answer: lookup + write (PostgreSQL 1 statement, SQLite 2)
