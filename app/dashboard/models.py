"""Who uploaded which of an organisation's own quizzes: a teacher may retire only those (organisers
and admins any of the organisation's; app.dashboard.quiz_owners)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, UTCDateTime, utcnow


class QuizUploader(Base):
    """An account that uploaded a file making this quiz (uploading the same file again adds the next one)."""

    __tablename__ = "quiz_uploaders"

    quiz_id: Mapped[str] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
