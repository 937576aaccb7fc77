"""Play whole attempts through the API, with a chosen number of right answers."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.helpers import bearer, correct_labels_via_db, start_api_attempt, wrong_choice


def wrong_labels(offered: list[str], right: list[str]) -> list[str]:
    return wrong_choice(offered, right)


def play(app: Any, client: FlaskClient, quiz_id: str, nickname: str, join_code: str | None = None,
         right: int | None = None, finish: bool = True, **extra: Any) -> dict[str, Any]:
    """Start, answer every question (the first `right` correctly, the rest wrongly; all right when
    None) and finish. Returns the start body plus the finish body under "result"."""
    body = {"join_code": join_code, **extra} if join_code else extra
    started = start_api_attempt(client, quiz_id, nickname, **body)
    auth = bearer(started["token"])
    for n in range(1, started["question_count"] + 1):
        question = client.get(f"/api/v1/attempts/{started['attempt_id']}/questions/{n}", headers=auth).json
        labels = [o["key"] for o in question["options"]]
        correct = correct_labels_via_db(app, started["attempt_id"], n)
        choose = correct if right is None or n <= right else wrong_labels(labels, correct)
        answered = client.post(f"/api/v1/attempts/{started['attempt_id']}/questions/{n}/answer",
                               json={"choices": choose}, headers=auth)
        assert answered.status_code == 200, answered.json
    if finish:
        started["result"] = client.post(f"/api/v1/attempts/{started['attempt_id']}/finish", headers=auth).json
    return started
