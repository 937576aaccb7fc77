"""Hot paths stay cheap: the number of SQL statements per request is pinned (Warehouse-style)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from tests.helpers import bearer, start_api_attempt


@contextmanager
def count_queries(app):
    with app.app_context():
        from app.extensions import db

        engine = db.engine
    statements: list[str] = []

    def record(conn, cursor, statement, *args):  # noqa: ANN001
        if not statement.lstrip().upper().startswith(("PRAGMA", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_question_fetch_and_answer_use_few_queries(app, client):
    body = start_api_attempt(client, "elder-listen")
    auth = bearer(body["token"])
    url = f"/api/v1/attempts/{body['attempt_id']}/questions/1"
    with count_queries(app) as first_fetch:
        assert client.get(url, headers=auth).status_code == 200
    with count_queries(app) as fetch:
        assert client.get(url, headers=auth).status_code == 200
    with count_queries(app) as answer:
        assert client.post(url + "/answer", headers=auth, json={"choices": ["A"]}).status_code == 200
    # attempt + slot + answer by token in one query; the bank version once per worker (immutable)
    assert len(first_fetch) <= 2, first_fetch
    assert len(fetch) == 1, fetch
    # the lookup, the attempt UPDATE (it must be open), the answer INSERT
    assert len(answer) <= 3, answer


def test_start_draw_is_a_fixed_number_of_queries_whatever_the_bank_size(app, client):
    with count_queries(app) as start:
        start_api_attempt(client, "staff-training")
    # quiz, pool, seen items, participant insert, attempt insert, the question rows (one executemany)
    assert len(start) <= 8, start

