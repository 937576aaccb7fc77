"""Per-person rows of a group's current round (for the exports), its pledge list and its
certificates. A few queries per group (people, pledges, certificates, the pending), joined in
Python by member key — a loop over people, not over answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.bank.limits import PASS_MARK_DEFAULT, passes
from app.bank.models import Quiz
from app.extensions import db
from app.groups.members import roster_member_key
from app.groups.models import BoardEntry, RosterEntry
from app.quiz.models import Attempt
from app.records.models import Certificate, Pledge
from app.reports.pending import pending_people
from app.reports.rounds import Round


@dataclass(frozen=True)
class PersonLine:
    nickname: str
    name: str = ""
    staff_no: str = ""
    department: str = ""
    score: int | None = None  # None: no counted result yet
    total: int | None = None
    permille: int | None = None
    passed: bool | None = None
    finished_at: datetime | None = None
    pledged: bool = False
    certificate: str = ""


def people_of(current: Round) -> list[PersonLine]:
    """Everyone of the round: counted results first (best first), then who has not finished.
    Staff rosters list every roster entry; other groups list the players who started."""
    group_id, scope = current.group.id, current.scope
    counted = db.session.execute(
        select(BoardEntry.member_key, BoardEntry.nickname, BoardEntry.roster_entry_id, BoardEntry.score,
               BoardEntry.total, BoardEntry.permille, BoardEntry.finished_at, Quiz.pass_mark)
        .outerjoin(Attempt, Attempt.id == BoardEntry.attempt_id)
        .outerjoin(Quiz, Quiz.id == Attempt.quiz_id)
        .where(BoardEntry.group_id == group_id, BoardEntry.scope == scope, BoardEntry.counted.is_(True))
        .order_by(BoardEntry.permille.desc(), BoardEntry.finished_at, BoardEntry.id)
    ).all()
    round_quiz = db.session.get(Quiz, current.assignment.quiz_id if current.assignment else current.group.quiz_id)
    default_mark = round_quiz.pass_mark if round_quiz else PASS_MARK_DEFAULT  # an attempt since deleted
    pledged = set(db.session.scalars(select(Pledge.member_key).where(Pledge.group_id == group_id)))
    certificates = dict(db.session.execute(
        select(Attempt.member_key, func.max(Certificate.code))
        .join(Attempt, Attempt.id == Certificate.attempt_id)
        .where(Attempt.group_id == group_id, Attempt.scope == scope)
        .group_by(Attempt.member_key)
    ).tuples().all())
    roster: dict[str, RosterEntry] = {}
    if current.roster:
        entries = db.session.scalars(
            select(RosterEntry).where(RosterEntry.group_id == group_id)
            .order_by(RosterEntry.department, RosterEntry.staff_no, RosterEntry.id)
        )
        roster = {roster_member_key(e.id): e for e in entries}
    lines = []
    for row in counted:
        entry = roster.get(row.member_key)
        lines.append(PersonLine(
            nickname=row.nickname,
            name=entry.name if entry else ("" if current.minors else row.nickname),
            staff_no=entry.staff_no if entry else "",
            department=entry.department if entry else "",
            score=row.score, total=row.total, permille=row.permille,
            passed=passes(row.score, row.total, default_mark if row.pass_mark is None else row.pass_mark),
            finished_at=row.finished_at,
            pledged=row.member_key in pledged,
            certificate=certificates.get(row.member_key) or "",
        ))
    done = {row.member_key for row in counted}
    waiting: list[tuple[str, str, RosterEntry | None]]
    if current.roster:
        waiting = [(key, e.name, e) for key, e in roster.items() if key not in done]
    else:
        pending, _ = pending_people(current, limit=100_000)
        waiting = [(p.member_key, p.nickname, None) for p in pending if p.member_key not in done]  # unfinished
    for key, nickname, entry in waiting:
        lines.append(PersonLine(
            nickname=nickname,
            name=entry.name if entry else "",
            staff_no=entry.staff_no if entry else "",
            department=entry.department if entry else "",
            pledged=key in pledged,
            certificate=certificates.get(key) or "",
        ))
    return lines


@dataclass(frozen=True)
class PledgeLine:
    signer: str  # the typed name, "" when only drawn
    signed_at: datetime
    drawn: bool
    family: bool
    nickname: str = ""  # the nickname the signer played under

    @property
    def name(self) -> str:
        """The typed name; for a drawn signature alone, who drew it: 小红（手写签名）, 家庭成员（手写签名）."""
        if self.signer:
            return self.signer
        return f"{'家庭成员' if self.family else self.nickname}（手写签名）"


def pledges_of(group_id: int) -> list[PledgeLine]:
    """The group's pledges, oldest first, with the nickname of the attempt that signed (or, if that
    attempt is gone, of the person's board row)."""
    board_nickname = (
        select(BoardEntry.nickname)
        .where(BoardEntry.group_id == Pledge.group_id, BoardEntry.member_key == Pledge.member_key)
        .order_by(BoardEntry.id).limit(1)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Pledge.signer, Pledge.signed_at, Pledge.signature_svg_path != "", Pledge.family_link_id,
               func.coalesce(Attempt.nickname, board_nickname, ""))
        .outerjoin(Attempt, Attempt.id == Pledge.attempt_id)
        .where(Pledge.group_id == group_id)
        .order_by(Pledge.signed_at, Pledge.id)
    ).all()
    return [PledgeLine(r[0], r[1], bool(r[2]), r[3] is not None, r[4]) for r in rows]


def certificates_of(group_id: int) -> list[Certificate]:
    """Every certificate issued for an attempt made in this group (any round), oldest first."""
    return list(db.session.scalars(
        select(Certificate)
        .join(Attempt, Attempt.id == Certificate.attempt_id)
        .where(Attempt.group_id == group_id)
        .order_by(Certificate.issued_at, Certificate.id)
    ))
