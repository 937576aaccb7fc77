"""Organisations and their groups, assignments, rosters, and the board summaries kept at finish time.

Board rows are maintained in the same transaction that finishes an attempt (app.groups.counting),
so a board is one indexed read, never a GROUP BY over every attempt.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, UTCDateTime, utcnow
from app.groups.kinds import Kind, kind_of

RULES = {"first": "只计第一次", "best": "每天最多 N 次，取最好成绩"}
BOARD_MODES = {"full": "显示全部昵称", "top": "只显示前几名", "masked": "昵称打码"}
FREE_PLAY = 0  # the scope of a group's play that belongs to no assignment


class Campaign(Base):
    """A campaign across organisations (all schools of a district, all hospitals of a county)."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(12))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def words(self) -> Kind:
        """What this kind of organisation is called and calls its groups (app.groups.kinds)."""
        return kind_of(self.kind)


class Group(Base):
    """A class, ward, department or team: the unit that joins with a code and is ranked."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    quiz_id: Mapped[str] = mapped_column(ForeignKey("quizzes.id"))
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    board_mode: Mapped[str] = mapped_column(String(8), default="full")
    board_top_n: Mapped[int] = mapped_column(Integer, default=10)
    roster_required: Mapped[bool] = mapped_column(Boolean, default=False)
    families: Mapped[int] = mapped_column(Integer, default=0)
    pledges: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Assignment(Base):
    """A quiz given to some groups of an organisation, with a window and a counting rule."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    quiz_id: Mapped[str] = mapped_column(ForeignKey("quizzes.id"))
    title: Mapped[str] = mapped_column(String(60), default="")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rule: Mapped[str] = mapped_column(String(8), default="first")
    tries_per_day: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def is_open(self, when: datetime) -> bool:
        return self.opens_at <= when < self.closes_at


class AssignmentGroup(Base):
    __tablename__ = "assignment_groups"

    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True, index=True)


class RosterEntry(Base):
    """A staff member on a unit's roster (姓名, 工号, 科室), so completion is proven person by person.
    Rosters are for staff only: students are never listed by name."""

    __tablename__ = "roster_entries"
    __table_args__ = (UniqueConstraint("group_id", "staff_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    staff_no: Mapped[str] = mapped_column(String(32))
    department: Mapped[str] = mapped_column(String(60), default="")


class BoardEntry(Base):
    """One person's counted result in one group and scope (an assignment, or free play)."""

    __tablename__ = "board_entries"
    __table_args__ = (
        UniqueConstraint("group_id", "scope", "member_key"),
        Index("ix_board_entries_board", "group_id", "scope", "counted"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    scope: Mapped[int] = mapped_column(Integer)
    member_key: Mapped[str] = mapped_column(String(24))
    nickname: Mapped[str] = mapped_column(String(40))
    roster_entry_id: Mapped[int | None] = mapped_column(ForeignKey("roster_entries.id", ondelete="SET NULL"))
    counted: Mapped[bool] = mapped_column(Boolean, default=False)
    attempt_id: Mapped[str | None] = mapped_column(String(32))
    score: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    permille: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    tries_day: Mapped[str] = mapped_column(String(10), default="")
    tries_today: Mapped[int] = mapped_column(Integer, default=0)


class GroupStats(Base):
    """Per group and scope: counted participants, the sum of their scores and the latest counted finish."""

    __tablename__ = "group_stats"

    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    scope: Mapped[int] = mapped_column(Integer, primary_key=True)
    participants: Mapped[int] = mapped_column(Integer, default=0)
    permille_sum: Mapped[int] = mapped_column(Integer, default=0)
    last_counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
