"""A live game (one 班会 round on the projector) and its players. Each player is an attempt of the
class; answers go into play's own answers table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, UTCDateTime, utcnow

STATES = ("lobby", "question", "reveal", "ranking", "podium", "ended")


class LiveGame(Base):
    """The game's state is one row. `version` moves with everything a screen shows (a transition, a
    join, an answer, a rename); `state_version` is the version of the last host transition, which a
    host action compares against (compare-and-set), so answers coming in never make a host's click
    stale, while a double click or a second host device does."""

    __tablename__ = "live_games"
    __table_args__ = (Index("ix_live_games_group_state", "group_id", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pin: Mapped[str | None] = mapped_column(String(6), unique=True)  # freed (NULL) when the game ends
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    quiz_id: Mapped[str] = mapped_column(ForeignKey("quizzes.id"))
    host_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    state: Mapped[str] = mapped_column(String(10), default="lobby")
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)  # the question shown (0 in the lobby)
    question_count: Mapped[int] = mapped_column(Integer)
    # (question version id, option keys) per position: the same questions and order for every player.
    slots: Mapped[list[Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    state_version: Mapped[int] = mapped_column(Integer, default=1)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    players: Mapped[int] = mapped_column(Integer, default=0)  # everyone who joined (removed ones too)
    player_cap: Mapped[int] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer, default=0)  # answers to the open question
    # scoring ("accuracy" | "speed"), timer (seconds or None), top_n, ranking (after each reveal), masked
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    phase_started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def over(self) -> bool:
        return self.state in ("podium", "ended")

    def slot(self, n: int) -> tuple[int, list[str]]:
        question_id, order = self.slots[n - 1]
        return int(question_id), list(order)


class LivePlayer(Base):
    """A phone in a game: its attempt of the class (nickname, answers, score) and, in speed mode,
    its points. The same phone (participant) is always the same player of a game."""

    __tablename__ = "live_players"
    __table_args__ = (UniqueConstraint("game_id", "participant_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("live_games.id", ondelete="CASCADE"), index=True)
    attempt_id: Mapped[str] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), unique=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    kicked: Mapped[bool] = mapped_column(Boolean, default=False)
    points: Mapped[int] = mapped_column(Integer, default=0)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
