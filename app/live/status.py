"""One player's own view of the game: their answers (right or wrong only once revealed), their
score so far and, once the game is over, whether their attempt counted for the class."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.live.answering import slot_of
from app.live.models import LiveGame, LivePlayer
from app.quiz.models import Answer, Attempt
from app.quiz.reading import to_labels


def revealed(game: LiveGame, n: int) -> bool:
    """Whether question n's key is public now."""
    return game.over or n < game.position or (n == game.position and game.state in ("reveal", "ranking"))


@dataclass(frozen=True)
class PlayerStatus:
    player_id: int
    nickname: str
    attempt_id: str
    removed: bool
    points: int
    answers: dict[int, dict[str, Any]] = field(default_factory=dict)  # n -> {"choices", "correct" or None}
    finished: bool = False
    score: int = 0  # right among the revealed questions
    counted: bool | None = None
    count_note: str | None = None

    def answer(self, n: int) -> dict[str, Any] | None:
        return self.answers.get(n)

    def as_json(self) -> dict[str, Any]:
        return {"player_id": self.player_id, "nickname": self.nickname, "attempt_id": self.attempt_id,
                "removed": self.removed, "points": self.points, "score": self.score, "finished": self.finished,
                "counted": self.counted, "count_note": self.count_note,
                "answers": [{"n": n, **a} for n, a in sorted(self.answers.items())]}


def status_of(game: LiveGame, player: LivePlayer) -> PlayerStatus:
    attempt = db.session.get(Attempt, player.attempt_id, populate_existing=True)
    if attempt is None:
        raise LookupError(player.attempt_id)
    rows = db.session.execute(select(Answer.position, Answer.choices, Answer.correct)
                              .where(Answer.attempt_id == attempt.id)).all()
    answers: dict[int, dict[str, Any]] = {}
    score = 0
    for n, keys, correct in rows:
        public = revealed(game, n)
        answers[n] = {"choices": to_labels(slot_of(game, attempt.id, n), keys),
                      "correct": bool(correct) if public else None}
        score += 1 if public and correct else 0
    return PlayerStatus(player.id, attempt.nickname, attempt.id, player.kicked, player.points, answers,
                        attempt.finished, score, attempt.counted if attempt.finished else None,
                        attempt.count_note if attempt.counted is False or player.kicked else None)
