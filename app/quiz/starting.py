"""Starting an attempt: the quiz, a fresh draw for this participant, and the context it is played in."""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import ColumnElement, select

from app.bank.models import Question, Quiz
from app.extensions import db
from app.quiz.context import JoinRequest, PlayContext, context_for_code
from app.quiz.draw import Drawn, draw
from app.quiz.errors import QuizNeedsGroupCode, QuizNotFound
from app.quiz.events import attempt_started
from app.quiz.models import Attempt, AttemptQuestion, Participant
from app.quiz.nickname import clean_nickname
from app.quiz.participants import is_key, token_hash

_rng = random.SystemRandom()


def active_quizzes(audience: str | None = None) -> Sequence[Quiz]:
    stmt = select(Quiz).where(Quiz.active.is_(True), Quiz.organisation_id.is_(None)).order_by(Quiz.position)
    if audience:
        stmt = stmt.where(Quiz.audience == audience)
    return db.session.scalars(stmt).all()


def get_quiz(quiz_id: object) -> Quiz:
    quiz = db.session.get(Quiz, quiz_id) if is_key(quiz_id) else None
    if quiz is None or not quiz.active:
        raise QuizNotFound()
    return quiz


def seen_items(participant_id: int) -> set[str]:
    stmt = (
        select(Question.item_id)
        .join(AttemptQuestion, AttemptQuestion.question_id == Question.id)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(Attempt.participant_id == participant_id)
        .distinct()
    )
    return set(db.session.scalars(stmt))


def draw_for(quiz: Quiz, seen: set[str]) -> list[Drawn]:
    """A fresh draw of the quiz from the current bank (and the quiz's organisation's own items),
    preferring items not in `seen`."""
    owner: ColumnElement[bool] = Question.organisation_id.is_(None)
    if quiz.organisation_id is not None:
        owner = owner | (Question.organisation_id == quiz.organisation_id)
    pool = db.session.scalars(select(Question).where(Question.current.is_(True), owner)).all()
    return draw(quiz, pool, seen, _rng)


@dataclass(frozen=True)
class Started:
    attempt: Attempt
    token: str


def start_attempt(quiz_id: object, nickname: object, participant: Participant,
                  context: PlayContext | None = None) -> Started:
    """Draw a fresh set for this participant and store it with the attempt, in one transaction.

    `context` says what the attempt is played for (a group round, a roster person, a family link);
    the caller builds it. Whether a group attempt counts is decided when it finishes.
    """
    quiz = get_quiz(quiz_id)
    name = clean_nickname(nickname)
    context = context or PlayContext()
    if quiz.organisation_id is not None and context.organisation_id != quiz.organisation_id:
        raise QuizNeedsGroupCode()  # a unit's own quiz is played through one of its groups' codes
    if context.slots is not None:
        chosen = [(question_id, list(order)) for question_id, order in context.slots]
    else:
        chosen = [(d.question.id, d.option_order) for d in draw_for(quiz, seen_items(participant.id))]
    if not chosen:
        raise QuizNotFound("这个测验暂时没有题目，请换一个测验。")
    token = secrets.token_urlsafe(32)
    attempt = Attempt(
        id=secrets.token_urlsafe(12),
        quiz_id=quiz.id,
        participant_id=participant.id,
        nickname=name,
        token_hash=token_hash(token),
        question_count=len(chosen),
        answered=0,
        **context.columns(),
    )
    db.session.add(attempt)
    db.session.flush()
    db.session.add_all(
        AttemptQuestion(attempt_id=attempt.id, position=n, question_id=question_id, option_order=order)
        for n, (question_id, order) in enumerate(chosen, start=1)
    )
    db.session.commit()
    attempt_started.send(current_app._get_current_object(), attempt=attempt)  # type: ignore[attr-defined]  # a proxy, typed as the Flask it stands for
    return Started(attempt, token)


def start_with_code(quiz_id: object, nickname: object, participant: Participant, join_code: object = None,
                    staff_no: object = None, staff_name: object = None) -> Started:
    """Start from a start page or the API, where all play knows of a group is the code typed."""
    quiz = get_quiz(quiz_id)
    clean_nickname(nickname)  # a bad nickname is reported before the code is looked at
    context = context_for_code(JoinRequest(join_code, quiz, participant, staff_no, staff_name))
    return start_attempt(quiz.id, nickname, participant, context)


def start_again(attempt: Attempt, participant: Participant) -> Started:
    """再来一次: the same quiz, nickname and context (the group through its code, the roster person,
    the family link), with a fresh draw and the counting rules applied anew."""
    quiz = get_quiz(attempt.quiz_id)
    if attempt.family_link_id is not None:
        context: PlayContext | None = PlayContext(family_link_id=attempt.family_link_id)
    else:
        context = context_for_code(JoinRequest(attempt.join_code, quiz, participant,
                                               roster_entry_id=attempt.roster_entry_id))
    return start_attempt(quiz.id, attempt.nickname, participant, context)
