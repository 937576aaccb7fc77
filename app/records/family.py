"""一个学生带动一个家庭: a pupil's link for their family to play the elder track at home.

Family attempts are started without a join code, so they never enter the class scores; the
class only learns how many families took part (Group.families, counted once per link).
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select, update

from app.bank.models import Quiz
from app.database import add_with_fresh_code, rows_matched, utcnow
from app.extensions import db
from app.groups.codes import ALPHABET
from app.groups.models import Group
from app.quiz.context import PlayContext
from app.quiz.errors import QuizNotFound
from app.quiz.models import Attempt, Participant
from app.quiz.starting import Started, active_quizzes, start_attempt
from app.records.errors import FamilyLinkNotFound, FamilyNotAllowed, NotFinished
from app.records.models import FamilyLink
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
    group_id, participant_id, nickname = attempt.group_id, attempt.participant_id, attempt.nickname
    return add_with_fresh_code(
        db.session,
        lambda: FamilyLink(token=new_token(), group_id=group_id, participant_id=participant_id, nickname=nickname),
        made_already=lambda: link_of(participant_id),  # a double tap made it first
        message="暂时无法生成家庭链接，请稍后再试。",
    )


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
    return start_attempt(family_quiz().id, nickname, participant, PlayContext(family_link_id=link.id))


def family_played(_app: Any, attempt: Attempt, **_extra: Any) -> None:
    """`attempt_finished` listener, inside the finishing transaction: the first finish through a
    family link marks it played and counts one family for the class."""
    link_id = attempt.family_link_id
    if link_id is None:
        return
    marked = db.session.execute(
        update(FamilyLink)
        .where(FamilyLink.id == link_id, FamilyLink.played_at.is_(None))
        .values(played_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if rows_matched(marked) == 1:
        group_of_link = select(FamilyLink.group_id).where(FamilyLink.id == link_id).scalar_subquery()
        db.session.execute(
            update(Group).where(Group.id == group_of_link).values(families=Group.families + 1)
            .execution_options(synchronize_session=False)
        )
