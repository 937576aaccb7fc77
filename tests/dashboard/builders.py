"""Builders for the dashboard tests: staff signed in by setting the session, teachers set, spreadsheets."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook


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
