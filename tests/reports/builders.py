"""Builders for the report tests: group and account updates, and attempts played through the JSON
API (start, answer right or wrong, finish) where a test is about play."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask.testing import FlaskClient

from tests.helpers import bearer, correct_labels_via_db, start_api_attempt, wrong_choice


def set_teacher(app: Any, group_id: int, user: Any) -> None:
    update(app, "Group", group_id, teacher_id=user.id)


def update(app: Any, model_name: str, key: Any, **values: Any) -> None:
    from app.extensions import db
    from app.groups import models

    with app.app_context():
        try:
            row = db.session.get(getattr(models, model_name), key)
            for name, value in values.items():
                setattr(row, name, value)
            db.session.commit()
        finally:
            db.session.remove()


def add_rows(app: Any, *rows: Any) -> list[int]:
    """Insert model instances; returns their ids."""
    from app.extensions import db

    with app.app_context():
        try:
            db.session.add_all(rows)
            db.session.commit()
            return [row.id for row in rows]
        finally:
            db.session.remove()


@dataclass(frozen=True)
class Played:
    attempt_id: str
    token: str
    total: int
    right: list[bool]  # per position: answered right (only positions answered)

    @property
    def score(self) -> int:
        return sum(self.right)


def _wrong(client: FlaskClient, attempt_id: str, token: str, n: int, right: list[str]) -> list[str]:
    view = client.get(f"/api/v1/attempts/{attempt_id}/questions/{n}", headers=bearer(token)).json
    labels = [o["key"] for o in view["options"]]
    return wrong_choice(labels, right)


def answer_all(app: Any, client: FlaskClient, attempt_id: str, token: str, total: int, right: int | list[bool],
               answer: int | None = None, finish: bool = True) -> Played:
    """Answer the first `answer` questions (all by default): the first `right` of them right (or per
    the list), then finish."""
    plan = right if isinstance(right, list) else [n < right for n in range(total)]
    count = total if answer is None else answer
    for n in range(1, count + 1):
        labels = correct_labels_via_db(app, attempt_id, n)
        choices = labels if plan[n - 1] else _wrong(client, attempt_id, token, n, labels)
        response = client.post(f"/api/v1/attempts/{attempt_id}/questions/{n}/answer", headers=bearer(token),
                               json={"choices": choices})
        assert response.status_code == 200, response.json
    if finish:
        done = client.post(f"/api/v1/attempts/{attempt_id}/finish", headers=bearer(token))
        assert done.status_code == 200, done.json
    return Played(attempt_id, token, total, plan[:count])


def play(app: Any, client: FlaskClient, join_code: str, quiz_id: str, nickname: str, right: int | list[bool],
         answer: int | None = None, finish: bool = True) -> Played:
    """A new person (a fresh participant) plays the quiz with the join code through the API."""
    body = start_api_attempt(client, quiz_id, nickname, join_code=join_code)
    return answer_all(app, client, body["attempt_id"], body["token"], body["question_count"], right, answer, finish)


def play_as_staff(app: Any, client: FlaskClient, join_code: str, quiz_id: str, staff_no: str, name: str,
                  right: int, finish: bool = True, answer: int | None = None) -> Played:
    """A rostered staff member (工号 + 姓名) starts through the service, then plays through the API."""
    from app.extensions import db
    from app.quiz import services

    with app.app_context():
        try:
            participant, _ = services.new_participant()
            started = services.start_with_code(quiz_id, name, participant, join_code, staff_no=staff_no,
                                               staff_name=name)
            attempt_id, token, total = started.attempt.id, started.token, started.attempt.question_count
        finally:
            db.session.remove()
    return answer_all(app, client, attempt_id, token, total, right, answer, finish)


def slot_patterns(app: Any, attempt_id: str) -> dict[int, tuple[str, str]]:
    """position -> (item id, pattern) of an attempt's questions, read row by row (the test's own count)."""
    from sqlalchemy import select

    from app.bank.models import Question
    from app.extensions import db
    from app.quiz.models import AttemptQuestion

    with app.app_context():
        try:
            rows = db.session.execute(
                select(AttemptQuestion.position, Question.item_id, Question.pattern)
                .join(Question, Question.id == AttemptQuestion.question_id)
                .where(AttemptQuestion.attempt_id == attempt_id)
            ).all()
            return {position: (item_id, pattern) for position, item_id, pattern in rows}
        finally:
            db.session.remove()


def at(text: str) -> datetime:
    """An aware UTC datetime from 'YYYY-MM-DD HH:MM'."""
    from datetime import UTC

    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


def update_user(app: Any, user_id: int, **values: Any) -> None:
    from app.auth.models import User
    from app.extensions import db

    with app.app_context():
        try:
            user = db.session.get(User, user_id)
            for name, value in values.items():
                setattr(user, name, value)
            db.session.commit()
        finally:
            db.session.remove()
