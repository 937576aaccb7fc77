"""Who has not finished this round: roster entries with no counted result (staff units), or people
who started and never finished (everyone else). One aggregated query either way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, cast, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db
from app.groups.models import BoardEntry, RosterEntry
from app.quiz.models import Attempt
from app.reports.rounds import Round, in_round

PENDING_LIMIT = 500  # the list on the page stops here (a count of the rest is shown)


def roster_key(entry_id: ColumnElement[int]) -> ColumnElement[str]:
    """SQL for a roster entry's member key, "r:<id>" (as app.groups.counting writes it)."""
    return literal("r:", String).concat(cast(entry_id, String))



@dataclass(frozen=True)
class Pending:
    """Someone who has not finished: a roster entry with no counted result, or a player who started
    but never finished. `name`, `staff_no` and `department` are only filled for staff rosters."""

    member_key: str
    nickname: str
    started_at: datetime | None
    name: str = ""
    staff_no: str = ""
    department: str = ""


def pending_people(current: Round, limit: int = PENDING_LIMIT) -> tuple[list[Pending], int]:
    """Who has not finished, and how many in all (the list stops at `limit`)."""
    if current.roster:
        return _roster_pending(current, limit)
    return _unfinished_players(current, limit)


def _roster_pending(current: Round, limit: int) -> tuple[list[Pending], int]:
    """Roster entries with no counted board entry in this round, with when they first started (if)."""
    done = (
        select(BoardEntry.id)
        .where(BoardEntry.group_id == current.group.id, BoardEntry.scope == current.scope,
               BoardEntry.counted.is_(True), BoardEntry.member_key == roster_key(RosterEntry.id))
        .exists()
    )
    first_start = (
        select(Attempt.roster_entry_id, func.min(Attempt.created_at).label("started_at"))
        .where(*in_round(current), Attempt.roster_entry_id.is_not(None))
        .group_by(Attempt.roster_entry_id)
        .subquery()
    )
    rows = db.session.execute(
        select(RosterEntry.id, RosterEntry.name, RosterEntry.staff_no, RosterEntry.department,
               first_start.c.started_at, func.count().over().label("total"))
        .outerjoin(first_start, first_start.c.roster_entry_id == RosterEntry.id)
        .where(RosterEntry.group_id == current.group.id, ~done)
        .order_by(RosterEntry.department, RosterEntry.staff_no, RosterEntry.id)
        .limit(limit)
    ).all()
    people = [Pending(f"r:{r.id}", r.name, r.started_at, r.name, r.staff_no, r.department) for r in rows]
    return people, int(rows[0].total) if rows else 0


def _unfinished_players(current: Round, limit: int) -> tuple[list[Pending], int]:
    """People (member keys) who started in this round and finished nothing in it."""
    per_person = (
        select(Attempt.member_key, func.max(Attempt.nickname).label("nickname"),
               func.min(Attempt.created_at).label("started_at"))
        .where(*in_round(current), Attempt.member_key.is_not(None))
        .group_by(Attempt.member_key)
        .having(func.count(Attempt.finished_at) == 0)
        .subquery()
    )
    rows = db.session.execute(
        select(per_person, func.count().over().label("total"))
        .order_by(per_person.c.started_at, per_person.c.member_key)
        .limit(limit)
    ).all()
    people = [Pending(r.member_key, r.nickname, r.started_at) for r in rows]
    return people, int(rows[0].total) if rows else 0
