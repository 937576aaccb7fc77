"""Who may retire an organisation's own quiz: the teachers who uploaded it, and the organisation's
organisers and the admins (anyone else who sees the list, another teacher of the organisation, may
play and assign it but not take it off). Seeing the organisation at all is app.auth.access's check."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from app.auth.models import User
from app.bank.models import Quiz
from app.dashboard.models import QuizUploader
from app.database import insert_or_ignore, table_of
from app.errors import DomainError
from app.extensions import db

_uploaders = table_of(QuizUploader)


class NotYourQuiz(DomainError):
    status = 403
    code = "not_your_quiz"
    message = "只有上传这份测验的老师，或本单位的组织者，才能下架它。"


def record_uploader(user: User, quiz_ids: Iterable[str]) -> None:
    """This account uploaded a file that made (or brought back) these quizzes. Commits."""
    for quiz_id in dict.fromkeys(quiz_ids):
        db.session.execute(insert_or_ignore(db.session.connection(), _uploaders, ["quiz_id", "user_id"],
                                            quiz_id=quiz_id, user_id=user.id))
    db.session.commit()


def manages_all(user: User) -> bool:
    """Organisers and admins may retire any own quiz of an organisation they may see."""
    return user.role in ("admin", "organiser")


def retirable(user: User, quizzes: Iterable[Quiz]) -> set[str]:
    """The ids among these quizzes that this account may retire (one query)."""
    ids = [quiz.id for quiz in quizzes]
    if manages_all(user):
        return set(ids)
    if not ids:
        return set()
    return set(db.session.scalars(
        select(QuizUploader.quiz_id).where(QuizUploader.user_id == user.id, QuizUploader.quiz_id.in_(ids))
    ))


def check_may_retire(user: User, quiz_id: object) -> None:
    """NotYourQuiz (403) unless this account may retire the quiz (an organisation's quiz the caller
    has already found among the ones this account may see)."""
    if manages_all(user):
        return
    uploaded = isinstance(quiz_id, str) and db.session.scalar(
        select(QuizUploader.user_id).where(QuizUploader.user_id == user.id, QuizUploader.quiz_id == quiz_id)
    ) is not None
    if not uploaded:
        raise NotYourQuiz()
