"""Racing taps: the database's unique constraint keeps exactly one answer, whatever the timing."""

from __future__ import annotations

import threading

import pytest

from app.quiz.models import Answer
from tests.helpers import bearer, correct_labels_via_db, count_rows, start_api_attempt

pytestmark = pytest.mark.commits  # the taps race on threads of their own, each with its own connection
TAPS = 12


def _race(app, url: str, headers: dict[str, str], payload: dict) -> list[int]:
    barrier = threading.Barrier(TAPS)
    statuses: list[int] = []
    lock = threading.Lock()

    def tap() -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post(url, headers=headers, json=payload)
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=tap) for _ in range(TAPS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return statuses


def test_twelve_racing_taps_record_exactly_one_answer(app, client):
    body = start_api_attempt(client, "staff-training")
    aid = body["attempt_id"]
    right = correct_labels_via_db(app, aid, 1)
    statuses = _race(app, f"/api/v1/attempts/{aid}/questions/1/answer", bearer(body["token"]), {"choices": right})
    assert sorted(statuses) == [200] + [409] * (TAPS - 1)
    assert count_rows(app, Answer, Answer.attempt_id == aid) == 1
    status = client.get(f"/api/v1/attempts/{aid}", headers=bearer(body["token"])).json
    assert status["answered"] == 1
    assert client.post(f"/api/v1/attempts/{aid}/finish", headers=bearer(body["token"])).json["score"] == 1


def test_finish_racing_with_answers_never_loses_or_miscounts(app, client):
    body = start_api_attempt(client, "staff-training")
    aid, auth = body["attempt_id"], bearer(body["token"])
    right = correct_labels_via_db(app, aid, 1)
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def answer() -> None:
        c = app.test_client()
        barrier.wait()
        results["answer"] = c.post(f"/api/v1/attempts/{aid}/questions/1/answer", headers=auth, json={"choices": right}).status_code

    def finish() -> None:
        c = app.test_client()
        barrier.wait()
        results["finish"] = c.post(f"/api/v1/attempts/{aid}/finish", headers=auth).json

    threads = [threading.Thread(target=answer), threading.Thread(target=finish)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    stored = count_rows(app, Answer, Answer.attempt_id == aid)
    # Either the answer landed before the attempt closed (and counts) or it was refused with 409.
    if results["answer"] == 200:
        assert stored == 1 and results["finish"]["score"] == 1
    else:
        assert results["answer"] == 409 and stored == 0 and results["finish"]["score"] == 0
