"""The API's question_id tells a learner nothing: opaque, per attempt, stable within an attempt."""

from __future__ import annotations

import re

from app.quiz.presenters import public_question_id
from tests.api.test_api import conforms
from tests.helpers import bearer, start_api_attempt

OPAQUE = re.compile(r"^q[0-9a-f]{24}$")


def _items(app, attempt_id):
    from app.quiz import services

    with app.app_context():
        return {slot.position: slot.question.item_id for slot in services.slots(services.get_attempt(attempt_id))}


def _fetch(client, body, n):
    return client.get(f"/api/v1/attempts/{body['attempt_id']}/questions/{n}", headers=bearer(body["token"]))


def test_question_ids_are_opaque_and_stable_within_an_attempt(app, client):
    body = start_api_attempt(client, "elder-listen")
    items = _items(app, body["attempt_id"])
    ids = {}
    for n, item_id in items.items():
        response = _fetch(client, body, n)
        conforms(client, "/api/v1/attempts/{attempt_id}/questions/{n}", "get", response)
        question_id = response.json["question_id"]
        assert OPAQUE.match(question_id)
        assert item_id not in question_id and "real" not in question_id and "fake" not in question_id
        assert _fetch(client, body, n).json["question_id"] == question_id  # asked again: the same id
        ids[n] = question_id
    assert len(set(ids.values())) == len(ids)


def test_the_same_question_has_another_id_in_another_attempt(app):
    first = start_api_attempt(app.test_client(), "theme-gongjianfa")
    with app.app_context():
        wanted = _items(app, first["attempt_id"])
        ids = {public_question_id(first["attempt_id"], item) for item in wanted.values()}
        other = start_api_attempt(app.test_client(), "theme-gongjianfa")
        again = {public_question_id(other["attempt_id"], item) for item in wanted.values()}
    assert not ids & again


def test_judge_answers_cannot_be_read_from_the_ids(app, client):
    """Bank ids ending in -real are mostly 是: nothing of them reaches a learner."""
    for _ in range(3):
        body = start_api_attempt(client, "student-basics")
        for n in range(1, body["question_count"] + 1):
            response = _fetch(client, body, n)
            if response.status_code == 200:
                assert OPAQUE.match(response.json["question_id"])
                assert "-" not in response.json["question_id"]


def test_the_id_depends_on_the_secret_key(app):
    with app.app_context():
        one = public_question_id("a" * 32, "gjf-safe-account")
    other_app = app.__class__(app.import_name)
    other_app.secret_key = "another-secret"
    with other_app.app_context():
        two = public_question_id("a" * 32, "gjf-safe-account")
    assert one != two and OPAQUE.match(one) and OPAQUE.match(two)
