"""Stored bank: every version of every item, and the quizzes drawn from them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.bank.limits import passes
from app.bank.schema import accepts
from app.database import Base, UTCDateTime, utcnow


class Question(Base):
    """One version of one answerable item. Edited items get a new row; answers keep theirs."""

    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("item_id", "version"),
        Index("ix_questions_current", "current", "item_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    pattern: Mapped[str] = mapped_column(String(40))
    audiences: Mapped[list[str]] = mapped_column(JSON)
    kind: Mapped[str] = mapped_column(String(10))
    case_id: Mapped[str | None] = mapped_column(String(80))
    step: Mapped[int | None] = mapped_column(Integer)
    steps: Mapped[int | None] = mapped_column(Integer)
    # The post a staff item is written for (app.bank.taxonomy.ROLES); None: for anyone of its audiences.
    role: Mapped[str | None] = mapped_column(String(20))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Items uploaded by a teacher belong to their organisation and are drawn only by its own quizzes.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def answers(self) -> list[str]:
        return list(self.body["answers"])

    def option_text(self, key: str) -> str:
        text: str = next(o["text"] for o in self.body["options"] if o["key"] == key)
        return text


class Quiz(Base):
    __tablename__ = "quizzes"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    audience: Mapped[str] = mapped_column(String(10), index=True)
    question_count: Mapped[int] = mapped_column(Integer)
    pass_mark: Mapped[int] = mapped_column(Integer)
    patterns: Mapped[list[str]] = mapped_column(JSON)
    scenarios: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(String(500), default="")
    item_ids: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    # The posts whose items it draws besides the items for everyone (a hospital's quiz lists 医院).
    roles: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A teacher's own quiz (uploaded from the dashboard) belongs to one organisation and is not listed.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)

    def accepts(self, question: Question) -> bool:
        return accepts(self.audience, self.patterns, self.roles or [], self.item_ids, question)

    def passed(self, score: int, total: int) -> bool:
        return passes(score, total, self.pass_mark)
