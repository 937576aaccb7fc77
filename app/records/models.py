"""Records a learner takes home: family links (一个学生带动一个家庭), signed pledges and certificates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, UTCDateTime, utcnow


class FamilyLink(Base):
    """一个学生带动一个家庭: a student's link for their family to play the elder track."""

    __tablename__ = "family_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(16), unique=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), unique=True)
    nickname: Mapped[str] = mapped_column(String(40))
    played_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Pledge(Base):
    """A signed 《拒绝电信诈骗承诺书》: typed name or drawn signature, timestamped."""

    __tablename__ = "pledges"
    __table_args__ = (UniqueConstraint("group_id", "member_key"), UniqueConstraint("attempt_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    attempt_id: Mapped[str | None] = mapped_column(String(32))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    member_key: Mapped[str] = mapped_column(String(24))
    family_link_id: Mapped[int | None] = mapped_column(ForeignKey("family_links.id", ondelete="SET NULL"))
    signer: Mapped[str] = mapped_column(String(40), default="")
    signature_svg_path: Mapped[str] = mapped_column(String(20000), default="")
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Certificate(Base):
    """A completion certificate with a public verification code."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    attempt_id: Mapped[str] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), unique=True)
    holder: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(130), default="")
    quiz_title: Mapped[str] = mapped_column(String(100))
    score: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
