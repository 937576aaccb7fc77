"""Builders for the dashboard tests: accounts of each role, signed in by setting the session."""

from __future__ import annotations

import io
import itertools
from typing import Any

from flask.testing import FlaskClient
from openpyxl import Workbook

_serial = itertools.count(1)
# Hashing at 600 000 iterations is slow; every test account shares one hash of this password.
PASSWORD = "correct-horse-battery-9"
_HASH: list[str] = []


def make_user(app: Any, role: str, org_id: int | None = None, name: str = "") -> dict[str, Any]:
    """An account (admin, organiser or teacher); returns its id, session version and email."""
    from app.auth.models import User
    from app.auth.passwords import hash_password
    from app.extensions import db

    if not _HASH:
        _HASH.append(hash_password(PASSWORD))
    with app.app_context():
        try:
            user = User(email=f"{role}{next(_serial)}@example.cn", display_name=name, password_hash=_HASH[0],
                        role=role, organisation_id=org_id)
            db.session.add(user)
            db.session.commit()
            return {"id": user.id, "uv": user.session_version, "email": user.email}
        finally:
            db.session.remove()


def sign_in(client: FlaskClient, user: dict[str, Any] | None) -> FlaskClient:
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            session["uid"], session["uv"] = user["id"], user["uv"]
    return client


def set_teacher(app: Any, group_id: int, user_id: int) -> None:
    from app.extensions import db
    from app.groups.models import Group

    with app.app_context():
        try:
            db.session.get(Group, group_id).teacher_id = user_id
            db.session.commit()
        finally:
            db.session.remove()


def xlsx(rows: list[list[Any]], title: str = "名单") -> bytes:
    """An .xlsx whose first sheet holds these rows (the first one is the header)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
