"""Participants, their attempts, the questions drawn for each attempt and the answers given."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.bank.models import Question, Quiz
from app.database import Base, UTCDateTime, utcnow


class AttemptFields(Protocol):
    """What playing a question needs of an attempt: an Attempt, or the API's plain lookup row."""

    @property
    def id(self) -> str: ...
    @property
    def question_count(self) -> int: ...


class SlotFields(Protocol):
    """What playing a question needs of question n: an AttemptQuestion, or the API's lookup row."""

    @property
    def attempt_id(self) -> str: ...
    @property
    def position(self) -> int: ...
    @property
    def question_id(self) -> int: ...
    @property
    def option_order(self) -> list[str]: ...


class AnswerFields(Protocol):
    """What showing an answer needs: an Answer, or the lookup's plain row."""

    @property
    def choices(self) -> list[str]: ...
    @property
    def correct(self) -> bool: ...


class Participant(Base):
    """A device or app install that plays; it lets a draw avoid items it has already seen."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Attempt(Base):
    __tablename__ = "attempts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    quiz_id: Mapped[str] = mapped_column(ForeignKey("quizzes.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    nickname: Mapped[str] = mapped_column(String(40))
    join_code: Mapped[str | None] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    question_count: Mapped[int] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[int | None] = mapped_column(Integer)
    # Set when the attempt was started with a group's join code (app.groups.counting decides at
    # finish whether it counts); `scope` is the assignment it belongs to, 0 for free play.
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"), index=True)
    scope: Mapped[int | None] = mapped_column(Integer)
    member_key: Mapped[str | None] = mapped_column(String(24))
    roster_entry_id: Mapped[int | None] = mapped_column(ForeignKey("roster_entries.id", ondelete="SET NULL"))
    family_link_id: Mapped[int | None] = mapped_column(ForeignKey("family_links.id", ondelete="SET NULL"), index=True)
    counted: Mapped[bool | None] = mapped_column(Boolean)  # None: not played for a group
    count_note: Mapped[str | None] = mapped_column(String(120))  # why it does not count, for the learner

    quiz: Mapped[Quiz] = relationship(lazy="select")  # loaded only where a page needs it

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class AttemptQuestion(Base):
    """The n-th question of an attempt, with the option order this attempt shows."""

    __tablename__ = "attempt_questions"

    attempt_id: Mapped[str] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    option_order: Mapped[list[str]] = mapped_column(JSON)

    question: Mapped[Question] = relationship(lazy="select")  # pages use app.bank.versions instead


class Answer(Base):
    """The first answer to one question of an attempt. The unique constraint makes it the only one."""

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        ForeignKeyConstraint(
            ["attempt_id", "position"],
            ["attempt_questions.attempt_id", "attempt_questions.position"],
            name="fk_answers_attempt_question",
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    choices: Mapped[list[str]] = mapped_column(JSON)
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
