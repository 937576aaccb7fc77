"""Small builders and readers shared by the tests."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def sign_in(client: FlaskClient, user: Any) -> FlaskClient:
    """Sign a staff account (a User, as UserFactory returns it) in by setting the session; None signs out."""
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            session["uid"], session["uv"] = user.id, user.session_version
    return client


def start_page_attempt(client: FlaskClient, quiz_id: str, nickname: str = "小明") -> str:
    """Start a quiz through the pages; returns the URL of question 1."""
    page = client.get(f"/play/{quiz_id}")
    assert page.status_code == 200
    response = client.post(f"/play/{quiz_id}", data={"csrf_token": csrf_token(page.text), "nickname": nickname})
    assert response.status_code == 303, response.text
    return response.headers["Location"]


def option_labels(html: str) -> list[str]:
    return re.findall(r'name="choices" value="([A-F])"', html)


def start_api_attempt(client: FlaskClient, quiz_id: str, nickname: str = "测试员", **extra: Any) -> dict[str, Any]:
    response = client.post("/api/v1/attempts", json={"quiz_id": quiz_id, "nickname": nickname, **extra})
    assert response.status_code == 201, response.json
    return response.json


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def correct_labels_via_db(app: Any, attempt_id: str, n: int) -> list[str]:
    """The right answer for question n of an attempt, read from the database (as the grader does)."""
    from app.quiz import services

    with app.app_context():
        slot = services.slot_of(attempt_id, n).slot
        return services.to_labels(slot, services.question_of(slot).answers)


def count_rows(app: Any, model: Any, *where: Any) -> int:
    """Count committed rows from a fresh app context (its own session), as another worker would."""
    from sqlalchemy import func, select

    from app.extensions import db

    with app.app_context():
        try:
            return db.session.scalar(select(func.count()).select_from(model).where(*where))
        finally:
            db.session.remove()


def make_group(app: Any, name: str = "初一（3）班", size: int = 40, kind: str = "school",
               org_name: str = "城关中学", quiz_id: str | None = None, org_id: int | None = None) -> dict[str, Any]:
    """An organisation (or the given one) with one group; returns plain ids and the join code."""
    from app.extensions import db
    from app.groups import services

    with app.app_context():
        try:
            org = services.get_organisation(org_id) if org_id else services.create_organisation(org_name, kind)
            group = services.create_group(org, name, size, quiz_id)
            return {"org_id": org.id, "group_id": group.id, "join_code": group.join_code, "quiz_id": group.quiz_id}
        finally:
            db.session.remove()


def wrong_choice(offered: list[str], right: list[str]) -> list[str]:
    """A wrong answer: an option that is not correct, or, where every option is correct (a
    multiple-choice item may have them all right), only one of them."""
    wrong = next((label for label in offered if label not in right), None)
    return [wrong] if wrong is not None else sorted(right)[:1]


def wait_until_serving(process: Any, log: Any, ready: Any, seconds: float = 30) -> None:
    """Wait for a server process started by a test until `ready()` is true; fail with the end of
    its log if it exits or takes longer than `seconds`."""
    import time

    deadline = time.monotonic() + seconds
    while True:
        try:
            if ready():
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"the server did not start: {log.read_text()[-2000:]}")
        time.sleep(0.2)
