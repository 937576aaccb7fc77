"""Opening a game for a class and finding it again: by its PIN (phones), by id for its host."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from app.auth.access import group_for
from app.auth.models import User
from app.bank.models import Quiz
from app.database import add_with_fresh_code, row_id, utcnow
from app.extensions import db
from app.groups.models import Group, Organisation
from app.groups.services import usable_quiz
from app.live.errors import BadSettings, GameNotFound, NoQuestions
from app.live.models import LiveGame
from app.quiz.starting import draw_for

TIMERS = (10, 20, 30, 60)  # seconds a question may stay open, offered to student classes only
TOP_N = (1, 3, 5, 10)
CAP_FACTOR = 1.5  # players a game takes: 1.5 × the class size (at least 5 more), against flooders
PIN_KEPT_HOURS = 2  # an ended game keeps its PIN this long, so phones still see 本场已结束


@dataclass(frozen=True)
class Settings:
    scoring: str = "accuracy"  # or "speed": points for fast right answers, on this game's podium only
    timer: int | None = None
    top_n: int = 3
    ranking: bool = False  # offer 看排名 after each reveal

    def stored(self, masked: bool) -> dict[str, Any]:
        return {"scoring": self.scoring, "timer": self.timer, "top_n": self.top_n, "ranking": self.ranking,
                "masked": masked}


def timed_options_allowed(org: Organisation, quiz: Quiz) -> bool:
    """A timer and speed points are for student classes only: never for elders or staff (MIIT 2.3,
    WCAG 2.2.1), and never on a quiz written for elders."""
    return org.words.minors and quiz.audience == "student"


def check_settings(settings: Settings, org: Organisation, quiz: Quiz) -> Settings:
    if settings.scoring not in ("accuracy", "speed"):
        raise BadSettings("计分方式只能是“答对计分”或“答对又快加分”。", field="scoring")
    if settings.timer is not None and settings.timer not in TIMERS:
        raise BadSettings("限时只能是 10、20、30 或 60 秒，或者不限时。", field="timer")
    if settings.top_n not in TOP_N:
        raise BadSettings("颁奖显示前 1、3、5 或 10 名。", field="top_n")
    timed = settings.timer is not None or settings.scoring == "speed"
    if timed and not timed_options_allowed(org, quiz):
        raise BadSettings("限时和抢答加分只用于学生班级；长辈和职工不限时、只按答对计分。", field="timer")
    if settings.scoring == "speed" and settings.timer is None:
        raise BadSettings("“答对又快加分”要先选一个限时。", field="scoring")
    return settings


def player_cap(size: int) -> int:
    return max(math.ceil(size * CAP_FACTOR), size + 5)


def _new_pin() -> str:
    return str(100000 + secrets.randbelow(900000))  # six digits, never a leading 0: easy to read aloud


def active_game_of(group_id: int) -> LiveGame | None:
    return db.session.scalar(select(LiveGame).where(LiveGame.group_id == group_id, LiveGame.state != "ended")
                             .order_by(LiveGame.id.desc()).limit(1))


def open_game(host: User, group: Group, quiz_id: object, settings: Settings) -> LiveGame:
    """A new game for the class (its lobby), or the class's game that is still running (a second
    click on 开始 opens the same one). Everyone plays the same questions in the same option order."""
    running = active_game_of(group.id)
    if running is not None:
        return running
    org = db.session.get(Organisation, group.organisation_id)
    if org is None:
        raise GameNotFound()
    quiz = usable_quiz(quiz_id or group.quiz_id, org)
    check_settings(settings, org, quiz)
    drawn = draw_for(quiz, set())
    if not drawn:
        raise NoQuestions()
    _free_old_pins()
    values = {"group_id": group.id, "quiz_id": quiz.id, "host_id": host.id, "question_count": len(drawn),
              "slots": [[d.question.id, d.option_order] for d in drawn], "player_cap": player_cap(group.size),
              "settings": settings.stored(group.board_mode == "masked"), "state": "lobby", "position": 0,
              "version": 1, "state_version": 1, "paused": False, "locked": False, "players": 0, "answered": 0,
              "phase_started_at": utcnow()}
    return add_with_fresh_code(db.session, lambda: LiveGame(pin=_new_pin(), **values),
                               message="暂时无法生成竞答数字，请稍后再试。")


def _free_old_pins() -> None:
    """PINs of games ended a while ago go back to the pool (taken again only under the unique index)."""
    before = utcnow() - timedelta(hours=PIN_KEPT_HOURS)
    db.session.execute(update(LiveGame).where(LiveGame.state == "ended", LiveGame.ended_at < before,
                                              LiveGame.pin.is_not(None)).values(pin=None))


def clean_pin(raw: object) -> str | None:
    if not isinstance(raw, str):
        return None
    pin = "".join(raw.split())
    return pin if len(pin) == 6 and pin.isascii() and pin.isdigit() else None


def game_by_pin(raw: object) -> LiveGame:
    pin = clean_pin(raw)
    game = db.session.scalar(select(LiveGame).where(LiveGame.pin == pin)) if pin else None
    if game is None:
        raise GameNotFound()
    return game


def game_for(user: User, game_id: object) -> LiveGame:
    """The game if this person may host it (its class is theirs), else 404 like a missing one."""
    gid = row_id(game_id)
    game = db.session.get(LiveGame, gid) if gid else None
    if game is None:
        raise GameNotFound()
    group_for(user, game.group_id)  # 404 for another teacher's class
    return game


def fresh(game_id: int) -> LiveGame:
    """The game's row as stored now (the services' UPDATEs bypass the ORM)."""
    game = db.session.get(LiveGame, game_id, populate_existing=True)
    if game is None:
        raise GameNotFound()
    return game
