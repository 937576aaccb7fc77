"""Builders for the account tests: organisations, reading users back, and signing in through the pages
(accounts come from tests.factories.UserFactory)."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.factories import PASSWORD
from tests.helpers import csrf_token


def make_org(app: Any, name: str = "城关中学", kind: str = "school") -> int:
    from app.extensions import db
    from app.groups.services import create_organisation

    with app.app_context():
        try:
            return create_organisation(name, kind).id
        finally:
            db.session.remove()


def get_user(app: Any, user_id: int | None = None, email: str | None = None) -> Any:
    """A detached copy of a user row, read fresh (as another worker would see it)."""
    from sqlalchemy import select

    from app.auth.models import User
    from app.extensions import db

    with app.app_context():
        try:
            stmt = select(User).where(User.id == user_id) if user_id else select(User).where(User.email == email)
            user = db.session.scalar(stmt)
            if user is not None:
                db.session.expunge(user)
            return user
        finally:
            db.session.remove()


def login(client: FlaskClient, email: str = "teacher@school.cn", password: str = PASSWORD,
          next_path: str | None = None) -> Any:
    page = client.get("/staff/login")
    data = {"csrf_token": csrf_token(page.text), "email": email, "password": password}
    if next_path is not None:
        data["next"] = next_path
    return client.post("/staff/login", data=data)


def signed_in(client: FlaskClient) -> bool:
    """Whether this client's cookie still opens a login-only page."""
    response = client.get("/staff/password")
    assert response.status_code in (200, 303)
    return response.status_code == 200


def token_of(client: FlaskClient, path: str = "/staff/password") -> str:
    return csrf_token(client.get(path).text)
