"""The API's hot lookup: an attempt's question n by bearer token, in one query, as plain values.

A question fetch and an answer both start here. The row comes back through SQLAlchemy Core, not the
ORM: building and tracking three ORM objects per request was a sixth of a question fetch's work, and
the API only needs a few columns. The pages, which need whole objects, keep using the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import bindparam, select

from app.extensions import db
from app.quiz.models import Answer, Attempt, AttemptFields, AttemptQuestion, SlotFields
from app.quiz.services import MAX_QUESTIONS, is_key, token_hash


@dataclass(frozen=True, slots=True)
class AttemptRow:
    """What play needs of an attempt (an ORM Attempt offers the same)."""

    id: str
    question_count: int


@dataclass(frozen=True, slots=True)
class SlotRow:
    """What play needs of question n of an attempt (an ORM AttemptQuestion offers the same)."""

    attempt_id: str
    position: int
    question_id: int
    option_order: list[str]


class Lookup(NamedTuple):
    attempt: AttemptFields  # an AttemptRow from the one query, an Attempt from the slow path
    slot: SlotFields
    answered: bool
    previous_answered: bool | None  # question n-1 has an answer (None: not looked up)


_attempts, _slots, _answers = Attempt.__table__, AttemptQuestion.__table__, Answer.__table__
_previous = _answers.alias("previous")
_BY_TOKEN = (
    select(_attempts.c.id, _attempts.c.question_count, _slots.c.position, _slots.c.question_id,
           _slots.c.option_order, _answers.c.id, _previous.c.id)
    .join(_slots, _slots.c.attempt_id == _attempts.c.id)
    .outerjoin(_answers, (_answers.c.attempt_id == _slots.c.attempt_id) & (_answers.c.position == _slots.c.position))
    .outerjoin(_previous, (_previous.c.attempt_id == _slots.c.attempt_id) & (_previous.c.position == _slots.c.position - 1))
    .where(_attempts.c.token_hash == bindparam("digest"), _attempts.c.id == bindparam("attempt_id"),
           _slots.c.position == bindparam("n"))
)


def slot_by_token(token: str, attempt_id: str, n: int) -> Lookup | None:
    """Attempt, question n, whether it is answered and whether question n-1 is (a scenario's next
    step opens only then) for a bearer token, in one round trip. None if anything does not match:
    the caller then finds out which."""
    if not is_key(attempt_id) or not 1 <= n <= MAX_QUESTIONS:
        return None
    params = {"digest": token_hash(token), "attempt_id": attempt_id, "n": n}
    row = db.session.connection().execute(_BY_TOKEN, params).first()
    if row is None:
        return None
    attempt_id, count, position, question_id, option_order, answer_id, previous_id = row
    return Lookup(AttemptRow(attempt_id, count), SlotRow(attempt_id, position, question_id, option_order),
                  answer_id is not None, previous_id is not None)
