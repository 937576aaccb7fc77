"""The one way play reads an attempt's question n: pages and API alike, in one query, as plain values.

A page finds the row by attempt id and then checks that this browser's participant owns it; the API
finds it by attempt id and bearer token. Either way the one row carries the attempt's count, whether
it is finished, question n's bank version and option order, its answer (if any) and whether question
n-1 is answered (a scenario's next step opens only then). The row comes through SQLAlchemy Core, not
the ORM: building and tracking three ORM objects per request was a sixth of a question fetch's work.
When the row is not found the caller's slower checks say exactly what is wrong (401, 403, 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Select, bindparam, select

from app.bank.limits import MAX_QUESTIONS
from app.extensions import db
from app.quiz.models import Answer, Attempt, AttemptQuestion
from app.quiz.participants import is_key, token_hash


@dataclass(frozen=True, slots=True)
class AttemptRow:
    """What play needs of an attempt (an ORM Attempt offers the same)."""

    id: str
    question_count: int
    participant_id: int
    finished: bool


@dataclass(frozen=True, slots=True)
class SlotRow:
    """What play needs of question n of an attempt (an ORM AttemptQuestion offers the same)."""

    attempt_id: str
    position: int
    question_id: int
    option_order: list[str]


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """The stored first answer to a question (an ORM Answer offers the same)."""

    choices: list[str]
    correct: bool


class Lookup(NamedTuple):
    attempt: AttemptRow
    slot: SlotRow
    answer: AnswerRow | None
    previous_answered: bool  # question n-1 has an answer

    @property
    def answered(self) -> bool:
        return self.answer is not None


_attempts, _slots, _answers = Attempt.__table__, AttemptQuestion.__table__, Answer.__table__
_previous = _answers.alias("previous")
# The row: the attempt (id, question count, participant, finished at), its question n (position,
# bank version, option order), that question's answer (id, choices, correct) and question n-1's answer id.
_SlotValues = tuple[str, int, int, datetime | None, int, int, list[str],
                    int | None, list[str] | None, bool | None, int | None]


def _slot_statement() -> Select[_SlotValues]:
    return (
        select(_attempts.c.id, _attempts.c.question_count, _attempts.c.participant_id, _attempts.c.finished_at,
               _slots.c.position, _slots.c.question_id, _slots.c.option_order,
               _answers.c.id, _answers.c.choices, _answers.c.correct, _previous.c.id)
        .join(_slots, _slots.c.attempt_id == _attempts.c.id)
        .outerjoin(_answers, (_answers.c.attempt_id == _slots.c.attempt_id) & (_answers.c.position == _slots.c.position))
        .outerjoin(_previous,
                   (_previous.c.attempt_id == _slots.c.attempt_id) & (_previous.c.position == _slots.c.position - 1))
        .where(_attempts.c.id == bindparam("attempt_id"), _slots.c.position == bindparam("n"))
    )


# Built once (no I/O: SQL expression objects), bound per call.
_SLOT_BY_ID = _slot_statement()
_SLOT_BY_TOKEN = _slot_statement().where(_attempts.c.token_hash == bindparam("digest"))


def _row_to_lookup(row: _SlotValues) -> Lookup:
    (attempt_id, count, participant_id, finished_at, position, question_id, option_order,
     answer_id, choices, correct, previous_id) = row
    answer = AnswerRow(choices, bool(correct)) if answer_id is not None and choices is not None else None
    return Lookup(
        AttemptRow(attempt_id, count, participant_id, finished_at is not None),
        SlotRow(attempt_id, position, question_id, option_order),
        answer,
        previous_id is not None,
    )


def _in_range(attempt_id: object, n: object) -> bool:
    return is_key(attempt_id) and isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= MAX_QUESTIONS


def slot_by_id(attempt_id: object, n: object) -> Lookup | None:
    """Question n of an attempt (the caller checks who may see it)."""
    if not _in_range(attempt_id, n):
        return None
    row = db.session.connection().execute(_SLOT_BY_ID, {"attempt_id": attempt_id, "n": n}).first()
    return _row_to_lookup(row._tuple()) if row is not None else None


def slot_by_token(token: str, attempt_id: object, n: object) -> Lookup | None:
    """Question n of the attempt this bearer token opens."""
    if not _in_range(attempt_id, n):
        return None
    params = {"digest": token_hash(token), "attempt_id": attempt_id, "n": n}
    row = db.session.connection().execute(_SLOT_BY_TOKEN, params).first()
    return _row_to_lookup(row._tuple()) if row is not None else None
