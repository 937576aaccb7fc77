"""Staff rosters: staff confirm who they are (工号 and 姓名) when they join a unit that has one."""

from __future__ import annotations

import unicodedata

from sqlalchemy import select

from app.extensions import db
from app.groups.errors import RosterMismatch
from app.groups.models import Group, RosterEntry


def normalise(value: object, limit: int) -> str:
    if not isinstance(value, str):
        return ""
    text = unicodedata.normalize("NFKC", value).strip()
    return "".join(text.split())[:limit] if "\x00" not in text else ""


def resolve(group: Group, staff_no: object, name: object) -> RosterEntry:
    """The roster entry matching both the staff number and the name (spaces and width ignored)."""
    number, person = normalise(staff_no, 32), normalise(name, 40)
    if not number or not person:
        raise RosterMismatch("这个单位按名单记录培训完成情况，请填写工号和姓名。")
    entry = db.session.scalar(
        select(RosterEntry).where(RosterEntry.group_id == group.id, RosterEntry.staff_no == number)
    )
    if entry is None or normalise(entry.name, 40) != person:
        raise RosterMismatch()
    return entry
