"""Who has not finished this round, or finished and failed: roster entries with no passing counted
result (staff units), or people who started and never finished or whose counted result failed
(everyone else). One aggregated query either way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Subquery, func, select
from sqlalchemy.sql.elements import ColumnElement

from app.bank.limits import passes_sql
from app.bank.models import Quiz
from app.extensions import db
from app.groups.members import roster_member_key, roster_member_key_sql
from app.groups.models import BoardEntry, RosterEntry
from app.quiz.models import Attempt
from app.reports.rounds import Round, in_round

PENDING_LIMIT = 500  # the list on the page stops here (a count of the rest is shown)




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
    failed_score: tuple[int, int] | None = None  # finished, counted and failed: (right, of)

    @property
    def status(self) -> str:
        if self.failed_score is not None:
            return f"未及格（{self.failed_score[0]}/{self.failed_score[1]}）"
        return "未完成" if self.started_at is not None else "还没开始"


def _passing() -> ColumnElement[bool]:
    """A counted board entry that passes its attempt's quiz (an entry whose attempt is gone passes
    nothing it could be checked against, so it is treated as passing, as the record shows it)."""
    mark = select(Quiz.pass_mark).join(Attempt, Attempt.quiz_id == Quiz.id) \
        .where(Attempt.id == BoardEntry.attempt_id).scalar_subquery()
    return (mark.is_(None)) | passes_sql(BoardEntry.score, BoardEntry.total, mark)


def _counted_entries(current: Round) -> Subquery:
    """This round's counted board rows: member key, score, total and whether it passes."""
    return (
        select(BoardEntry.member_key, BoardEntry.score, BoardEntry.total, _passing().label("passing"))
        .where(BoardEntry.group_id == current.group.id, BoardEntry.scope == current.scope,
               BoardEntry.counted.is_(True))
        .subquery()
    )


def pending_people(current: Round, limit: int = PENDING_LIMIT) -> tuple[list[Pending], int]:
    """Who has not finished, and how many in all (the list stops at `limit`)."""
    if current.roster:
        return _roster_pending(current, limit)
    return _unfinished_players(current, limit)


def _roster_pending(current: Round, limit: int) -> tuple[list[Pending], int]:
    """Roster entries with no passing counted board entry in this round, with when they first started
    (if) and their failed counted score (if)."""
    entry = _counted_entries(current)
    first_start = (
        select(Attempt.roster_entry_id, func.min(Attempt.created_at).label("started_at"))
        .where(*in_round(current), Attempt.roster_entry_id.is_not(None))
        .group_by(Attempt.roster_entry_id)
        .subquery()
    )
    rows = db.session.execute(
        select(RosterEntry.id, RosterEntry.name, RosterEntry.staff_no, RosterEntry.department,
               first_start.c.started_at, entry.c.score, entry.c.total.label("of"), func.count().over().label("total"))
        .outerjoin(first_start, first_start.c.roster_entry_id == RosterEntry.id)
        .outerjoin(entry, entry.c.member_key == roster_member_key_sql(RosterEntry.id))
        .where(RosterEntry.group_id == current.group.id, entry.c.passing.is_not(True))
        .order_by(RosterEntry.department, RosterEntry.staff_no, RosterEntry.id)
        .limit(limit)
    ).all()
    people = [Pending(roster_member_key(r.id), r.name, r.started_at, r.name, r.staff_no, r.department,
                      (r.score, r.of) if r.score is not None else None) for r in rows]
    return people, int(rows[0].total) if rows else 0


def _unfinished_players(current: Round, limit: int) -> tuple[list[Pending], int]:
    """People (member keys) who started in this round and finished nothing in it, or whose counted
    result in it failed."""
    per_person = (
        select(Attempt.member_key, func.max(Attempt.nickname).label("nickname"),
               func.min(Attempt.created_at).label("started_at"), func.count(Attempt.finished_at).label("finished"))
        .where(*in_round(current), Attempt.member_key.is_not(None))
        .group_by(Attempt.member_key)
        .subquery()
    )
    entry = _counted_entries(current)
    rows = db.session.execute(
        select(per_person, entry.c.score, entry.c.total.label("of"), func.count().over().label("total"))
        .outerjoin(entry, entry.c.member_key == per_person.c.member_key)
        .where((per_person.c.finished == 0) | entry.c.passing.is_(False))
        .order_by(per_person.c.started_at, per_person.c.member_key)
        .limit(limit)
    ).all()
    people = [Pending(r.member_key, r.nickname, r.started_at, failed_score=(r.score, r.of) if r.finished else None)
              for r in rows]
    return people, int(rows[0].total) if rows else 0
