"""A player's answer to the open question: recorded once, only while that question is open.

One short transaction, in this order: the game row is updated first, and only if the question is
still open at that position (not revealed, not paused, before the deadline when a timer runs); that
UPDATE also counts the answer for 已答 n/N and moves the version. Then the attempt (it must be open)
and the answer go into play's own tables, whose unique (attempt, position) keeps the first of any
number of racing taps. A refused write rolls everything back, so the count never counts a tap
twice. The game row's lock orders answers with the host's reveal on both databases (SQLite: the
first write takes the database's write lock; PostgreSQL: the row lock, re-checked after a
concurrent reveal commits), so no answer is stored after its question closed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from app.database import rows_matched, table_of, utcnow
from app.extensions import db
from app.live.errors import AlreadyAnswered, QuestionClosed, Removed
from app.live.games import fresh
from app.live.models import LiveGame, LivePlayer
from app.quiz.lookup import SlotRow
from app.quiz.models import Answer, Attempt
from app.quiz.reading import question_of, to_labels
from app.quiz.recording import parse_choices

log = logging.getLogger("app.live")
GRACE = timedelta(seconds=1)  # the network's share of a timed question
_answers = table_of(Answer)


@dataclass(frozen=True)
class Recorded:
    n: int
    choices: list[str]  # this game's option letters


def slot_of(game: LiveGame, attempt_id: str, n: int) -> SlotRow:
    question_id, order = game.slot(n)
    return SlotRow(attempt_id, n, question_id, order)


def stored_choice(game: LiveGame, attempt_id: str, n: int) -> list[str] | None:
    """The player's stored answer to question n, as letters (None: not answered)."""
    keys = db.session.scalar(select(Answer.choices).where(Answer.attempt_id == attempt_id, Answer.position == n))
    return to_labels(slot_of(game, attempt_id, n), keys) if keys is not None else None


def speed_points(elapsed: float, seconds: int) -> int:
    """Kahoot's rule for a right answer: 1000 at once, falling to 500 at the deadline."""
    share = min(max(elapsed / seconds, 0.0), 1.0)
    return round(1000 * (1 - share / 2))


def answer(game_id: int, player: LivePlayer, n: object, choices: object) -> Recorded:
    player = db.session.get(LivePlayer, player.id, populate_existing=True) or player  # removed a moment ago?
    if player.kicked:
        raise Removed()
    game = fresh(game_id)
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= game.question_count:
        raise QuestionClosed("没有这道题。")
    stored = stored_choice(game, player.attempt_id, n)
    if stored is not None:
        raise AlreadyAnswered(stored)  # the common retry, answered without a write
    if game.state != "question" or game.position != n or game.paused:
        raise QuestionClosed("老师已暂停，请稍候。" if game.paused and game.position == n else None)
    slot = slot_of(game, player.attempt_id, n)
    keys = parse_choices(slot, choices)
    correct = keys == sorted(question_of(slot).answers)
    now = utcnow()
    try:
        if _gate(game.id, n, now) != 1:
            db.session.rollback()
            raise QuestionClosed()
        opened = db.session.execute(
            update(Attempt)
            .where(Attempt.id == player.attempt_id, Attempt.finished_at.is_(None),
                   select(LivePlayer.id).where(LivePlayer.id == player.id, LivePlayer.kicked.is_(False)).exists())
            .values(answered=Attempt.answered + 1).execution_options(synchronize_session=False)
        )
        if rows_matched(opened) != 1:
            db.session.rollback()
            raise QuestionClosed("本场已经交卷，不能再答题了。")
        db.session.execute(insert(_answers).values(attempt_id=player.attempt_id, position=n, choices=keys,
                                                   correct=correct, answered_at=now))
        timer = game.settings.get("timer")
        if correct and game.settings.get("scoring") == "speed" and timer:
            points = speed_points((now - game.phase_started_at).total_seconds(), int(timer))
            db.session.execute(update(LivePlayer).where(LivePlayer.id == player.id)
                               .values(points=LivePlayer.points + points).execution_options(synchronize_session=False))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        log.info("duplicate live answer refused: attempt=%s n=%s", player.attempt_id, n)
        raise AlreadyAnswered(stored_choice(game, player.attempt_id, n) or []) from None
    return Recorded(n, to_labels(slot, keys))


def _gate(game_id: int, n: int, now: datetime) -> int:
    """Count the answer on the game row if question n is open now: the first write of the transaction."""
    late = now - GRACE
    return rows_matched(db.session.execute(
        update(LiveGame)
        .where(LiveGame.id == game_id, LiveGame.state == "question", LiveGame.position == n,
               LiveGame.paused.is_(False), (LiveGame.deadline.is_(None)) | (LiveGame.deadline > late))
        .values(answered=LiveGame.answered + 1, version=LiveGame.version + 1)
        .execution_options(synchronize_session=False)
    ))
