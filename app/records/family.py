"""一个学生带动一个家庭: a pupil's link for their family to play the elder track at home.

Family attempts are started without a join code, so they never enter the class scores; the
class only learns how many families took part (Group.families, counted once per link).
"""

from __future__ import annotations

import secrets

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.bank.models import Quiz
from app.database import utcnow
from app.extensions import db
from app.groups.codes import ALPHABET
from app.groups.models import FamilyLink, Group
from app.quiz.errors import QuizNotFound
from app.quiz.models import Attempt, Participant
from app.quiz.services import Started, active_quizzes, start_attempt
from app.records.errors import FamilyLinkNotFound, FamilyNotAllowed, NotFinished
from app.records.pledges import is_school

TOKEN_LENGTH = 10
FAMILY_QUIZ = "elder-listen"


def new_token() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(TOKEN_LENGTH))


def link_of(participant_id: int) -> FamilyLink | None:
    return db.session.scalar(select(FamilyLink).where(FamilyLink.participant_id == participant_id))


def by_token(raw: object) -> FamilyLink:
    ok = isinstance(raw, str) and len(raw) == TOKEN_LENGTH and all(ch in ALPHABET for ch in raw)
    link = db.session.scalar(select(FamilyLink).where(FamilyLink.token == raw)) if ok else None
    if link is None:
        raise FamilyLinkNotFound()
    return link


def can_invite(attempt: Attempt) -> bool:
    """A finished attempt made with a school class's join code (not itself a family attempt)."""
    return attempt.finished and attempt.family_link_id is None and is_school(attempt)


def create_link(attempt: Attempt) -> FamilyLink:
    """The pupil's family link: made once per participant, then reused."""
    if not attempt.finished:
        raise NotFinished("交卷以后才能生成家庭链接。")
    existing = link_of(attempt.participant_id)
    if existing is not None:
        return existing
    if attempt.group_id is None or not can_invite(attempt):
        raise FamilyNotAllowed()
    for _ in range(10):
        link = FamilyLink(token=new_token(), group_id=attempt.group_id, participant_id=attempt.participant_id,
                          nickname=attempt.nickname)
        db.session.add(link)
        try:
            db.session.commit()
            return link
        except IntegrityError:
            db.session.rollback()
            existing = link_of(attempt.participant_id)  # a double tap made it first
            if existing is not None:
                return existing
    raise RuntimeError("no free family token after 10 tries")


def family_quiz() -> Quiz:
    """The elder quiz a family plays: 'elder-listen', or the first active elder quiz."""
    quiz = db.session.get(Quiz, FAMILY_QUIZ)
    if quiz is not None and quiz.active and quiz.organisation_id is None:
        return quiz
    elder = active_quizzes("elder")
    if not elder:
        raise QuizNotFound("暂时没有给长辈的测验，请稍后再来。")
    return elder[0]


def start(link: FamilyLink, nickname: object, participant: Participant) -> Started:
    """A family member's attempt: no join code, so it never counts for the class."""
    return start_attempt(family_quiz().id, nickname, participant, family_link_id=link.id)


def family_played(link_id: int) -> None:
    """Called inside the transaction that finishes a family attempt (app.quiz.services.finish):
    the first finish through a link marks it played and counts one family for the class."""
    marked = db.session.execute(
        update(FamilyLink)
        .where(FamilyLink.id == link_id, FamilyLink.played_at.is_(None))
        .values(played_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if marked.rowcount == 1:
        group_of_link = select(FamilyLink.group_id).where(FamilyLink.id == link_id).scalar_subquery()
        db.session.execute(
            update(Group).where(Group.id == group_of_link).values(families=Group.families + 1)
            .execution_options(synchronize_session=False)
        )
