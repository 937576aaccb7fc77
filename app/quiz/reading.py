"""Reading play's state: attempts, their question slots and answers, and what a slot shows."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from app.bank.versions import Version, version
from app.extensions import db
from app.quiz.draw import OPTION_LABELS
from app.quiz.errors import NotFound, NotYours, QuestionNotFound, StepLocked
from app.quiz.lookup import Lookup, slot_by_id
from app.quiz.models import Answer, Attempt, AttemptFields, AttemptQuestion, SlotFields
from app.quiz.participants import is_key, token_hash


def get_attempt(attempt_id: object) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id) if is_key(attempt_id) else None
    if attempt is None:
        raise NotFound()
    return attempt


def attempt_by_token(token: str) -> Attempt | None:
    return db.session.scalar(select(Attempt).where(Attempt.token_hash == token_hash(token)))


def owned_attempt(attempt_id: object, participant_id: object) -> Attempt:
    """An attempt this browser's participant played (403 for anyone else's)."""
    attempt = get_attempt(attempt_id)
    if participant_id != attempt.participant_id:
        raise NotYours()
    return attempt


def range_error(count: int) -> QuestionNotFound:
    return QuestionNotFound(f"这份测验只有 {count} 道题，请从第 1 题到第 {count} 题中选择。")


def owned_slot(attempt_id: object, n: int, participant_id: object) -> Lookup:
    """Question n of an attempt this participant played, in one query when all is well."""
    found = slot_by_id(attempt_id, n)
    if found is not None:
        if found.attempt.participant_id != participant_id:
            raise NotYours()
        return found
    attempt = owned_attempt(attempt_id, participant_id)
    raise range_error(attempt.question_count)


def slots(attempt: Attempt) -> list[AttemptQuestion]:
    stmt = select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id).order_by(AttemptQuestion.position)
    return list(db.session.scalars(stmt))


def answers_of(attempt: AttemptFields) -> dict[int, Answer]:
    rows = db.session.scalars(select(Answer).where(Answer.attempt_id == attempt.id))
    return {a.position: a for a in rows}


def first_unanswered(attempt: AttemptFields) -> int | None:
    answered = set(db.session.scalars(select(Answer.position).where(Answer.attempt_id == attempt.id)))
    return next((n for n in range(1, attempt.question_count + 1) if n not in answered), None)


def check_step_unlocked(slot: SlotFields, previous_answered: bool) -> None:
    """A later step of a scenario may reveal the earlier answer, so it opens only after that one."""
    if (question_of(slot).step or 1) > 1 and not previous_answered:
        raise StepLocked()


def question_of(slot: SlotFields) -> Version:
    """The bank version this slot was drawn with (immutable, cached per worker)."""
    return version(slot.question_id)


def display_keys(slot: SlotFields) -> dict[str, str]:
    """Map this attempt's option labels (A, B, …) to the bank's option keys."""
    return {OPTION_LABELS[i]: key for i, key in enumerate(slot.option_order)}


def to_labels(slot: SlotFields, keys: Sequence[str]) -> list[str]:
    back = {key: label for label, key in display_keys(slot).items()}
    return sorted(back[k] for k in keys)
