"""Recording an answer: the first answer to question n, graded on the server, stored once."""

from __future__ import annotations

import logging

from sqlalchemy import JSON, Boolean, Integer, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.database import UTCDateTime, on_postgresql, rows_matched, table_of, utcnow
from app.extensions import db
from app.quiz.errors import AlreadyAnswered, AttemptFinished, InvalidChoice
from app.quiz.models import Answer, Attempt, AttemptFields, SlotFields
from app.quiz.reading import check_step_unlocked, display_keys, question_of

log = logging.getLogger("app.quiz")

# Core statements on the tables: the ORM's bulk-persistence layer would only add work here.
_attempts, _answers = table_of(Attempt), table_of(Answer)
_OPEN_ATTEMPT = (
    update(_attempts)
    .where(_attempts.c.id == bindparam("attempt_id"), _attempts.c.finished_at.is_(None))
    .values(answered=_attempts.c.answered + 1)
)
_INSERT_ANSWER = insert(_answers)
# PostgreSQL: both in one statement (one round trip): the answer is inserted only if the UPDATE
# found the attempt open, and the UPDATE's row lock still orders it with finishing.
_OPENED = _OPEN_ATTEMPT.returning(_attempts.c.id).cte("opened")
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


def record_answer(attempt: AttemptFields, slot: SlotFields, choices: object, previous_answered: bool) -> Answer:
    """Store the first answer to the slot's question, graded on the server. A second answer raises 409.

    One short transaction: the attempt row is updated first (it must still be open), which
    serialises this with finishing; the unique (attempt, position) constraint makes the first
    answer the only one when taps race, across any number of workers. On PostgreSQL both writes
    are one statement, so this also holds when the request runs in autocommit.
    """
    keys = parse_choices(slot, choices)
    check_step_unlocked(slot, previous_answered)
    correct = keys == sorted(question_of(slot).answers)
    attempt_id, position = attempt.id, slot.position
    answer = Answer(attempt_id=attempt_id, position=position, choices=keys, correct=correct, answered_at=utcnow())
    values = {"attempt_id": attempt_id, "position": position, "choices": keys, "correct": correct,
              "answered_at": answer.answered_at}
    try:
        if on_postgresql(db.engine):
            inserted = len(db.session.execute(_INSERT_IF_OPEN, values).all())
        else:
            # The reads above took no write lock (SQLite runs plain SELECTs outside a transaction),
            # so this UPDATE is the transaction's first write and waits its turn (busy timeout).
            inserted = rows_matched(db.session.execute(_OPEN_ATTEMPT, {"attempt_id": attempt_id}))
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
    return answer
