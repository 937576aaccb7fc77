"""Finishing an attempt: close it once, score it from the stored first answers, announce it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select, update

from app.database import rows_matched, utcnow
from app.extensions import db
from app.quiz.errors import NotFound
from app.quiz.events import attempt_finished
from app.quiz.models import Answer, Attempt


@dataclass(frozen=True)
class Score:
    score: int
    total: int
    passed: bool
    counted: bool | None = None  # None: not played for a group; False: kept out of the group's record
    count_note: str | None = None  # why it does not count, in words for the learner


def finish(attempt: Attempt) -> Score:
    """Close the attempt and compute its score from the stored first answers. Idempotent: only the
    call that closes it announces `attempt_finished`, inside the same transaction."""
    attempt_id = attempt.id
    closed = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.finished_at.is_(None))
        .values(finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if rows_matched(closed) == 1:
        correct = db.session.scalar(
            select(func.count()).select_from(Answer).where(Answer.attempt_id == attempt_id, Answer.correct.is_(True))
        ) or 0
        done = db.session.get(Attempt, attempt_id, populate_existing=True)
        if done is None:
            raise NotFound()
        done.score = correct
        attempt_finished.send(current_app._get_current_object(), attempt=done, score=correct)  # type: ignore[attr-defined]  # a proxy, typed as the Flask it stands for
    db.session.commit()
    fresh = db.session.get(Attempt, attempt_id, populate_existing=True)  # the UPDATEs bypassed the ORM
    if fresh is None:
        raise NotFound()
    return score_of(fresh)


def score_of(attempt: Attempt) -> Score:
    score = attempt.score or 0
    return Score(score, attempt.question_count, attempt.quiz.passed(score, attempt.question_count),
                 attempt.counted, attempt.count_note if attempt.counted is False else None)
