"""Builders for the records tests: play a quiz to the end through the pages, read rows back."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from tests.helpers import correct_labels_via_db, csrf_token, option_labels, wrong_choice


def start(client: FlaskClient, quiz_id: str, nickname: str = "小明", join_code: str = "", **extra: str) -> str:
    """Start through /play/<quiz>; returns the attempt id."""
    page = client.get(f"/play/{quiz_id}")
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(page.text), "nickname": nickname, "join_code": join_code, **extra}
    response = client.post(f"/play/{quiz_id}", data=data)
    assert response.status_code == 303, response.text
    return response.headers["Location"].split("/")[2]


def play_through(app: Any, client: FlaskClient, attempt_id: str, wrong: int = 0) -> str:
    """Answer every question (the first `wrong` ones wrongly), hand in; returns the result page."""
    page = client.get(f"/a/{attempt_id}/1")
    total = int(re.search(r"共 (\d+) 题", page.text).group(1))
    for n in range(1, total + 1):
        page = client.get(f"/a/{attempt_id}/{n}")
        assert page.status_code == 200, page.text
        right = correct_labels_via_db(app, attempt_id, n)
        pick = right if n > wrong else wrong_choice(option_labels(page.text), right)
        posted = client.post(f"/a/{attempt_id}/{n}", data={"csrf_token": csrf_token(page.text), "choices": pick})
        assert posted.status_code == 303, posted.text
    last = client.get(f"/a/{attempt_id}/{total}")
    done = client.post(f"/a/{attempt_id}/finish", data={"csrf_token": csrf_token(last.text)})
    assert done.status_code == 303
    result = client.get(f"/a/{attempt_id}/result")
    assert result.status_code == 200
    return result.text


def finished(app: Any, client: FlaskClient, quiz_id: str = "elder-listen", nickname: str = "小明",
             join_code: str = "", wrong: int = 0) -> tuple[str, str]:
    """(attempt id, result page) of a quiz played to the end."""
    attempt_id = start(client, quiz_id, nickname, join_code)
    return attempt_id, play_through(app, client, attempt_id, wrong)


def failed(app: Any, client: FlaskClient, quiz_id: str = "elder-listen", **kwargs: Any) -> tuple[str, str]:
    return finished(app, client, quiz_id, wrong=50, **kwargs)


def token(client: FlaskClient, path: str = "/") -> str:
    return csrf_token(client.get(path).text)


def row(app: Any, model: Any, *where: Any) -> Any:
    """One committed row, read in a fresh session (as another worker would), detached."""
    from sqlalchemy import select

    from app.extensions import db

    with app.app_context():
        try:
            found = db.session.scalars(select(model).where(*where)).first()
            if found is not None:
                db.session.expunge(found)
            return found
        finally:
            db.session.remove()


def group_counters(app: Any, group_id: int) -> tuple[int, int]:
    """(families, pledges) of a group."""
    from app.groups.models import Group

    group = row(app, Group, Group.id == group_id)
    return group.families, group.pledges
