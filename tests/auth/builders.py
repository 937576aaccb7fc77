"""Builders for the account tests: users straight into the database, and signing in through the pages."""

from __future__ import annotations

from functools import cache
from typing import Any

from flask.testing import FlaskClient

from tests.helpers import csrf_token

PASSWORD = "correct horse battery"


@cache
def _hash(password: str) -> str:
    """One real PBKDF2 hash per password for the whole run (600 000 rounds cost ~0.15 s each)."""
    from app.auth.passwords import hash_password

    return hash_password(password)


def make_user(app: Any, email: str = "teacher@school.cn", role: str = "teacher", org_id: int | None = None,
              password: str = PASSWORD, name: str = "") -> int:
    """A user row with a real hash of `password`; returns its id."""
    from app.auth.models import User
    from app.extensions import db

    with app.app_context():
        try:
            user = User(email=email, display_name=name, password_hash=_hash(password), role=role,
                        organisation_id=org_id, session_version=1, failed_logins=0)
            db.session.add(user)
            db.session.commit()
            return user.id
        finally:
            db.session.remove()


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
