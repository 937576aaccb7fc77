"""The rules of play: starting an attempt, reading a question, recording an answer, finishing."""

from __future__ import annotations

import hashlib
import logging
import random
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import JSON, Boolean, Integer, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.bank.models import Question, Quiz
from app.bank.versions import Version, version
from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.groups.membership import attempt_columns, on_finished
from app.quiz.draw import OPTION_LABELS, draw
from app.quiz.errors import (
    AlreadyAnswered,
    AttemptFinished,
    InvalidChoice,
    InvalidJoinCode,
    NotFound,
    QuestionNotFound,
    QuizNotFound,
    StepLocked,
)
from app.quiz.models import Answer, Attempt, AttemptFields, AttemptQuestion, Participant, SlotFields
from app.quiz.nickname import clean_nickname

_rng = random.SystemRandom()
log = logging.getLogger("app.quiz")
KEY_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
JOIN_CODE_RE = re.compile(r"^[A-Z0-9]{4,12}$")
MAX_QUESTIONS = 50  # a quiz's largest count (app.bank.loader)


def is_key(value: object) -> bool:
    """Ids in URLs and JSON: short, URL-safe, no NUL bytes or other characters a database rejects."""
    return isinstance(value, str) and KEY_RE.match(value) is not None


def clean_join_code(raw: object) -> str | None:
    """An optional join code: spaces and dashes dropped, upper-cased, 4-12 letters or digits."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise InvalidJoinCode()
    code = re.sub(r"[\s-]", "", raw).upper()
    if not code:
        return None
    if not JOIN_CODE_RE.match(code):
        raise InvalidJoinCode()
    return code


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_participant() -> tuple[Participant, str]:
    key = secrets.token_urlsafe(24)
    participant = Participant(key_hash=token_hash(key))
    db.session.add(participant)
    db.session.flush()
    return participant, key


def participant_by_key(key: object) -> Participant | None:
    if not isinstance(key, str) or not 8 <= len(key) <= 100:
        return None
    return db.session.scalar(select(Participant).where(Participant.key_hash == token_hash(key)))


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


@dataclass(frozen=True)
class Started:
    attempt: Attempt
    token: str


def start_attempt(quiz_id: object, nickname: object, participant: Participant, join_code: object = None,
                  staff_no: object = None, staff_name: object = None, family_link_id: int | None = None) -> Started:
    """Draw a fresh set for this participant and store it with the attempt, in one transaction.

    With a join code the attempt belongs to that group (and, where the group keeps a staff roster,
    to the person identified by staff number and name); whether it counts is decided at finish.
    """
    quiz = get_quiz(quiz_id)
    if quiz.organisation_id is not None and join_code is None and family_link_id is None:
        raise QuizNotFound()  # a teacher's own quiz is played through its group's code
    name = clean_nickname(nickname)
    join_code = clean_join_code(join_code)
    membership = attempt_columns(join_code, quiz, participant, staff_no, staff_name)
    owner = Question.organisation_id.is_(None)
    if quiz.organisation_id is not None:
        owner = owner | (Question.organisation_id == quiz.organisation_id)
    pool = db.session.scalars(select(Question).where(Question.current.is_(True), owner)).all()
    drawn = draw(quiz, pool, seen_items(participant.id), _rng)
    if not drawn:
        raise QuizNotFound("这个测验暂时没有题目，请换一个测验。")
    token = secrets.token_urlsafe(32)
    attempt = Attempt(
        id=secrets.token_urlsafe(12),
        quiz_id=quiz.id,
        participant_id=participant.id,
        nickname=name,
        join_code=join_code,
        token_hash=token_hash(token),
        question_count=len(drawn),
        answered=0,
        family_link_id=family_link_id,
        **membership,
    )
    db.session.add(attempt)
    db.session.flush()
    db.session.add_all(
        AttemptQuestion(attempt_id=attempt.id, position=n, question_id=d.question.id, option_order=d.option_order)
        for n, d in enumerate(drawn, start=1)
    )
    db.session.commit()
    return Started(attempt, token)


def get_attempt(attempt_id: object) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id) if is_key(attempt_id) else None
    if attempt is None:
        raise NotFound()
    return attempt


# Hot-path statements are built once (no I/O: just SQL expression objects) and bound per call.
_BY_TOKEN = select(Attempt).where(Attempt.token_hash == bindparam("digest"))
_SLOT_AND_ANSWER = (
    select(AttemptQuestion, Answer)
    .outerjoin(Answer, (Answer.attempt_id == AttemptQuestion.attempt_id) & (Answer.position == AttemptQuestion.position))
    .where(AttemptQuestion.attempt_id == bindparam("attempt_id"), AttemptQuestion.position == bindparam("n"))
)


# Core statements on the tables: the ORM's bulk-persistence layer would only add work here.
_attempts, _answers = Attempt.__table__, Answer.__table__
_OPEN_ATTEMPT = (
    update(_attempts)
    .where(_attempts.c.id == bindparam("attempt_id"), _attempts.c.finished_at.is_(None))
    .values(answered=_attempts.c.answered + 1)
)
_INSERT_ANSWER = insert(_answers)
# PostgreSQL: both in one statement (one round trip): the answer is inserted only if the UPDATE
# found the attempt open, and the UPDATE's row lock still orders it with finishing.
_OPENED = (
    update(_attempts)
    .where(_attempts.c.id == bindparam("attempt_id"), _attempts.c.finished_at.is_(None))
    .values(answered=_attempts.c.answered + 1)
    .returning(_attempts.c.id)
    .cte("opened")
)
_INSERT_IF_OPEN = insert(_answers).from_select(
    ["attempt_id", "position", "choices", "correct", "answered_at"],
    select(
        _OPENED.c.id,
        bindparam("position", type_=Integer),
        bindparam("choices", type_=JSON),
        bindparam("correct", type_=Boolean),
        bindparam("answered_at", type_=UTCDateTime),
    ),
).returning(_answers.c.id)  # rowcount is not reported for a data-modifying CTE; count the rows


def autocommit() -> None:
    """On PostgreSQL, run each of this request's statements as its own transaction, saving the
    BEGIN and COMMIT/ROLLBACK round trips. Only for requests that just read, or whose one write is a
    single statement (recording an answer through the API: the data-modifying CTE below is atomic
    by itself). SQLite already runs plain SELECTs outside a transaction, and switching its
    isolation level costs a PRAGMA on every checkout, so it is left alone. Call before the first query."""
    if db.engine.dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def attempt_by_token(token: str) -> Attempt | None:
    return db.session.scalar(_BY_TOKEN, {"digest": token_hash(token)})


def slots(attempt: Attempt) -> list[AttemptQuestion]:
    stmt = select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id).order_by(AttemptQuestion.position)
    return list(db.session.scalars(stmt))


def answers_of(attempt: Attempt) -> dict[int, Answer]:
    rows = db.session.scalars(select(Answer).where(Answer.attempt_id == attempt.id))
    return {a.position: a for a in rows}


def get_slot(attempt: AttemptFields, n: object) -> AttemptQuestion:
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= attempt.question_count:
        raise QuestionNotFound(f"这份测验只有 {attempt.question_count} 道题，请从第 1 题到第 {attempt.question_count} 题中选择。")
    slot = db.session.get(AttemptQuestion, (attempt.id, n))
    if slot is None:
        raise QuestionNotFound()
    return slot


def slot_and_answer(attempt: Attempt, n: object) -> tuple[AttemptQuestion, Answer | None]:
    """Question n of the attempt (with its bank version) and its answer, if any, in one query."""
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= attempt.question_count:
        return get_slot(attempt, n), None  # raises the range error
    row = db.session.execute(_SLOT_AND_ANSWER, {"attempt_id": attempt.id, "n": n}).first()
    if row is None:
        raise QuestionNotFound()
    return row[0], row[1]


def get_answer(attempt: AttemptFields, n: int) -> Answer | None:
    return db.session.scalar(select(Answer).where(Answer.attempt_id == attempt.id, Answer.position == n))


def check_step_unlocked(attempt: AttemptFields, slot: SlotFields, previous_answered: bool | None = None) -> None:
    """A later step of a scenario may reveal the earlier answer, so it opens only after that one.
    previous_answered saves the query when the caller already knows."""
    if (question_of(slot).step or 1) <= 1:
        return
    if previous_answered is None:
        previous_answered = get_answer(attempt, slot.position - 1) is not None
    if not previous_answered:
        raise StepLocked()


def first_unanswered(attempt: Attempt) -> int | None:
    answered = set(db.session.scalars(select(Answer.position).where(Answer.attempt_id == attempt.id)))
    return next((n for n in range(1, attempt.question_count + 1) if n not in answered), None)


def question_of(slot: SlotFields) -> Version:
    """The bank version this slot was drawn with (immutable, cached per worker)."""
    return version(slot.question_id)


def display_keys(slot: SlotFields) -> dict[str, str]:
    """Map this attempt's option labels (A, B, …) to the bank's option keys."""
    return {OPTION_LABELS[i]: key for i, key in enumerate(slot.option_order)}


def to_labels(slot: SlotFields, keys: Sequence[str]) -> list[str]:
    back = {key: label for label, key in display_keys(slot).items()}
    return sorted(back[k] for k in keys)


def parse_choices(slot: SlotFields, choices: object) -> list[str]:
    """Validate the labels a person picked and return the bank keys they stand for."""
    if not isinstance(choices, list) or not choices:
        raise InvalidChoice()
    labels = display_keys(slot)
    if not all(isinstance(c, str) and c in labels for c in choices):
        valid = "、".join(labels)
        raise InvalidChoice(f"选项只能是 {valid} 中的字母。")
    if len(set(choices)) != len(choices):
        raise InvalidChoice("同一个选项选了两次，请重新选择。")
    if question_of(slot).kind != "multiple" and len(choices) != 1:
        raise InvalidChoice("这道题只能选一个答案。")
    return sorted(labels[c] for c in choices)


def record_answer(
    attempt: AttemptFields, n: object, choices: object, slot: SlotFields | None = None,
    previous_answered: bool | None = None,
) -> tuple[SlotFields, Answer]:
    """Store the first answer to question n, graded on the server. A second answer raises 409.

    One short transaction: the attempt row is updated first (it must still be open), which
    serialises this with finishing; the unique (attempt, position) constraint makes the first
    answer the only one when taps race, across any number of workers. On PostgreSQL both writes
    are one statement, so this also holds when the request runs in autocommit().
    """
    slot = slot if slot is not None else get_slot(attempt, n)
    keys = parse_choices(slot, choices)
    check_step_unlocked(attempt, slot, previous_answered)
    correct = keys == sorted(question_of(slot).answers)
    attempt_id, position = attempt.id, slot.position
    answer = Answer(attempt_id=attempt_id, position=position, choices=keys, correct=correct, answered_at=utcnow())
    values = {"attempt_id": attempt_id, "position": position, "choices": keys, "correct": correct,
              "answered_at": answer.answered_at}
    try:
        if db.engine.dialect.name == "postgresql":
            inserted = len(db.session.execute(_INSERT_IF_OPEN, values).all())
        else:
            # The reads above took no write lock (SQLite runs plain SELECTs outside a transaction),
            # so this UPDATE is the transaction's first write and waits its turn (busy timeout).
            inserted = db.session.execute(_OPEN_ATTEMPT, {"attempt_id": attempt_id}).rowcount
            if inserted == 1:
                db.session.execute(_INSERT_ANSWER, values)
        if inserted != 1:
            db.session.rollback()
            log.info("answer after finishing refused: attempt=%s n=%s", attempt_id, position)
            raise AttemptFinished()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        log.info("duplicate answer refused: attempt=%s n=%s", attempt_id, position)
        raise AlreadyAnswered() from None
    return slot, answer


@dataclass(frozen=True)
class Score:
    score: int
    total: int
    passed: bool


def finish(attempt: Attempt) -> Score:
    """Close the attempt and compute its score from the stored first answers. Idempotent."""
    attempt_id = attempt.id
    closed = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.finished_at.is_(None))
        .values(finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if closed.rowcount == 1:
        correct = db.session.scalar(
            select(func.count()).select_from(Answer).where(Answer.attempt_id == attempt_id, Answer.correct.is_(True))
        )
        done = db.session.get(Attempt, attempt_id, populate_existing=True)
        if done is None:
            raise NotFound()
        done.score = correct
        if done.group_id is not None or done.family_link_id is not None:
            on_finished(done, correct)
    db.session.commit()
    fresh = db.session.get(Attempt, attempt_id, populate_existing=True)  # the UPDATEs bypassed the ORM
    if fresh is None:
        raise NotFound()
    return score_of(fresh)


def score_of(attempt: Attempt) -> Score:
    score = attempt.score or 0
    return Score(score, attempt.question_count, attempt.quiz.passed(score, attempt.question_count))
